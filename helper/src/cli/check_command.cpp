#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "stages/publish/check_stage.hpp"

namespace dp::cli {

Command add_check_command(CLI::App& parent) {
  auto* app = parent.add_subcommand(
      "check",
      "Validate sdist/wheel files before upload (what twine check does, plus metadata, "
      "names, wheel RECORD and sdist layout)");
  auto arguments = std::make_shared<stages::CheckOptions>();
  app->add_option("files", arguments->files,
                  "Distribution files or glob patterns (dist/*); default: the pipeline's dists");
  app->add_flag("--strict", arguments->strict, "Fail on warnings too");
  add_pipeline_option(*app, arguments->pipeline, false);
  app->footer(
      "With --pipeline, every dist must also carry the version the pipeline's image was built "
      "with, in its file name and its metadata.");
  return stage_command(app, arguments, stages::run_check_stage);
}

}  // namespace dp::cli
