#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <memory>

#include "console/terminal_reporter.hpp"

namespace dp::cli {

// One subcommand of docker-pipeline: its CLI11 node and what runs when it was chosen.
// run() returns the process exit status; errors are thrown as exceptions with context.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command add_version_command(CLI::App& parent);
Command add_stamp_command(CLI::App& parent);
Command add_build_command(CLI::App& parent);
Command add_test_command(CLI::App& parent);
Command add_verify_command(CLI::App& parent);
Command add_check_command(CLI::App& parent);
Command add_upload_command(CLI::App& parent);
Command add_publish_command(CLI::App& parent);
Command add_release_command(CLI::App& parent);
Command add_validate_command(CLI::App& parent);

// A command that runs `stage(options, reporter)`, printing through a TerminalReporter.
template <typename Options, typename Stage>
Command stage_command(CLI::App* app, std::shared_ptr<Options> options, Stage stage) {
  return {app, [app, options, stage] {
            console::TerminalReporter reporter{app->get_name()};
            return stage(*options, reporter);
          }};
}

// The `--pipeline FILE` option every stage of a pipeline target takes.
inline CLI::Option* add_pipeline_option(CLI::App& app, std::filesystem::path& file, bool required) {
  auto* option = app.add_option("--pipeline", file,
                                "Pipeline description written by add_docker_pipeline() "
                                "(<binary dir>/<name>.pipeline.json)");
  option->check(CLI::ExistingFile);
  if (required) option->required();
  return option;
}

}  // namespace dp::cli
