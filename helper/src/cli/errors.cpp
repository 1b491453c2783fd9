#include "core/errors.hpp"

#include <fmt/core.h>

#include <exception>

#include "cli/command.hpp"
#include "process/interrupts.hpp"

namespace dp::cli {

int run_reporting_errors(const Command& command) {
  const auto& name = command.app->get_name();
  try {
    return command.run();
  } catch (const process::Interrupted& e) {
    fmt::print(stderr, "docker-pipeline {}: {}\n", name, e.what());
    return 128 + e.signal();
  } catch (const InternalError& e) {
    fmt::print(stderr, "docker-pipeline {}: internal error: {}\n", name, e.what());
    return 70;  // sysexits.h EX_SOFTWARE: an internal software error
  } catch (const std::exception& e) {
    fmt::print(stderr, "docker-pipeline {}: error: {}\n", name, e.what());
    return 1;
  }
}

}  // namespace dp::cli
