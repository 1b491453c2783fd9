#include "cli/errors.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <exception>

namespace dp::cli {

int run_reporting_errors(const Command& command) {
  try {
    return command.run();
  } catch (const std::exception& e) {
    fmt::print(stderr, "docker-pipeline {}: error: {}\n", command.app->get_name(), e.what());
    return 1;
  }
}

}  // namespace dp::cli
