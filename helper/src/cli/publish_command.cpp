#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "process/environment.hpp"
#include "stages/publish/publish_stage.hpp"

namespace dp::cli {

Command add_publish_command(CLI::App& parent) {
  auto options = std::make_shared<stages::PublishOptions>();
  auto* app = parent.add_subcommand(
      "publish", "Release the pipeline: preflight, then the dists, then the image (PUSH)");
  app->footer(
      "Preflight first, sending nothing: check, the version of every dist and of the image, the "
      "index's credentials and files, the registry's login and tags. Then the wheels, the sdist "
      "and the image tags, each step journaled or asked of the index and the registry, so that "
      "running it again after a failure sends only what is missing. Ends by writing "
      "<output dir>/release.json (unless nothing in it changed).");
  add_pipeline_option(*app, options->pipeline, true);
  app->add_flag("--preflight", options->preflight_only, "Run the preflight checks alone");
  app->add_flag("-v,--verbose", options->verbose, "Say which engine was chosen and why");
  return stage_command(app, options, [](const stages::PublishOptions& o, stages::Reporter& r) {
    return stages::run_publish_stage(o, process::process_environment(), r);
  });
}

}  // namespace dp::cli
