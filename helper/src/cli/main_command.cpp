// The commands are compiled in this one translation unit, not one each: every command file
// includes CLI11, which is header-only and takes about 9 s a file to compile. A file of the source
// tree, not a CMake unity source, so that builds in other folders find it in the compiler cache.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <string>
#include <vector>

#include "cli/build_command.cpp"
#include "cli/check_command.cpp"
#include "cli/command.hpp"
#include "cli/publish_command.cpp"
#include "cli/release_command.cpp"
#include "cli/stamp_command.cpp"
#include "cli/test_command.cpp"
#include "cli/upload_command.cpp"
#include "cli/validate_command.cpp"
#include "cli/verify_command.cpp"
#include "cli/version_command.cpp"
#include "console/ci_log.hpp"
#include "core/errors.hpp"
#include "process/environment.hpp"
#include "process/interrupts.hpp"

namespace dp::cli {
namespace {

// Runs a command; an exception becomes one line on stderr and an exit status, so no library code
// exits itself: process::Interrupted 128 + the signal; dp::InternalError (a bug) 70,
// "docker-pipeline <command>: internal error: ..."; any other 1, "...: error: ...". In a CI
// log the command's output is a collapsible section, and a failure also an annotation after it.
int run_reporting_errors(const Command& command, console::CiSystem ci) {
  const auto& name = command.app->get_name();
  const auto* pipeline = command.app->get_option_no_throw("--pipeline");
  console::CiLog log{ci, name, pipeline ? pipeline->as<std::string>() : "",
                     process::process_environment()};
  std::string failure;
  int status = 1;
  try {
    status = command.run();
  } catch (const process::Interrupted& e) {
    failure = e.what();
    status = 128 + e.signal();
  } catch (const InternalError& e) {
    failure = fmt::format("internal error: {}", e.what());
    status = 70;  // sysexits.h EX_SOFTWARE: an internal software error
  } catch (const std::exception& e) {
    failure = fmt::format("error: {}", e.what());
  }
  if (!failure.empty()) fmt::print(stderr, "docker-pipeline {}: {}\n", name, failure);
  log.finish(status, failure);
  return status;
}

}  // namespace

int run_main(int argc, char** argv) {
  CLI::App app{"docker-pipeline: stamp, build, test and publish a Python package through Docker"};
  app.set_version_flag("--version",
                       std::string{"docker-pipeline "} + DOCKER_PIPELINE_VERSION_STRING);
  app.require_subcommand(1);
  const std::vector<Command> commands = {
      add_version_command(app),  add_stamp_command(app),   add_build_command(app),
      add_test_command(app),     add_verify_command(app),  add_check_command(app),
      add_upload_command(app),   add_publish_command(app), add_release_command(app),
      add_validate_command(app),
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; a usage error exits 2, as command-line tools conventionally do.
    return app.exit(e) == 0 ? 0 : 2;
  }
  process::install_interrupt_handlers();
  for (const auto& command : commands) {
    if (!command.app->parsed()) continue;
    // What version, stamp and release print is data a script reads: never framed.
    const auto& name = command.app->get_name();
    const bool data = name == "version" || name == "stamp" || name == "release";
    return run_reporting_errors(command, data ? console::CiSystem::none
                                              : console::detect_ci(process::process_environment()));
  }
  return 2;
}

}  // namespace dp::cli
