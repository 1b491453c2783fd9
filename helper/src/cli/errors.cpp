#include "cli/errors.hpp"

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <exception>

#include "process/interrupts.hpp"

namespace dp::cli {

int run_reporting_errors(const Command& command) {
  try {
    return command.run();
  } catch (const process::Interrupted& e) {
    fmt::print(stderr, "docker-pipeline {}: {}\n", command.app->get_name(), e.what());
    return 128 + e.signal();
  } catch (const std::exception& e) {
    fmt::print(stderr, "docker-pipeline {}: error: {}\n", command.app->get_name(), e.what());
    return 1;
  }
}

}  // namespace dp::cli
