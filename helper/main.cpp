#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <vector>

#include "cli/command.hpp"
#include "process/interrupts.hpp"

int main(int argc, char** argv) {
  CLI::App app{"docker-pipeline: stamp, build, test and publish a Python package through Docker"};
  app.set_version_flag("--version",
                       std::string{"docker-pipeline "} + DOCKER_PIPELINE_VERSION_STRING);
  app.require_subcommand(1);

  const std::vector<dp::cli::Command> commands = {
      dp::cli::add_version_command(app),  dp::cli::add_stamp_command(app),
      dp::cli::add_build_command(app),    dp::cli::add_test_command(app),
      dp::cli::add_verify_command(app),
      dp::cli::add_check_command(app),    dp::cli::add_upload_command(app),
      dp::cli::add_validate_command(app),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; a usage error exits 2, as command-line tools conventionally do.
    return app.exit(e) == 0 ? 0 : 2;
  }

  dp::process::install_interrupt_handlers();
  for (const auto& command : commands) {
    if (command.app->parsed()) return dp::cli::run_reporting_errors(command);
  }
  return 2;
}
