#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "stages/publish/release_record.hpp"

namespace dp::cli {

Command add_release_command(CLI::App& parent) {
  auto options = std::make_shared<stages::ReleaseOptions>();
  auto* app = parent.add_subcommand("release", "Show the pipeline's release record");
  app->footer("The record publish wrote last: <output dir>/release.json (its fields: README).");
  add_pipeline_option(*app, options->pipeline, true);
  app->add_flag("--json", options->json, "Print the record as it is");
  return stage_command(app, options, stages::run_release_stage);
}

}  // namespace dp::cli
