#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "stages/verify/verify_stage.hpp"

namespace dp::cli {

Command add_verify_command(CLI::App& parent) {
  auto options = std::make_shared<stages::VerifyOptions>();
  auto* app = parent.add_subcommand(
      "verify",
      "Install the tested dists in clean containers of VERIFY_IMAGES and test them there");
  app->footer(
      "Each image gets a fresh container with the dists, VERIFY_FILES (its working folder) and "
      "WHEELHOUSE only; the wheel that fits its python3 goes into a new venv (pip --no-index), "
      "and VERIFY_COMMAND (default TEST_COMMAND) runs with the venv first in PATH. The first image "
      "also installs the sdist. ARTIFACTS go to <output dir>/verify/<image tag>/. A passed image "
      "is recorded and not verified again while nothing changed, unless --force.\n"
      "Exit status: 0 when every image passed; else the first failing one's tests' status (1 "
      "when a dist did not install, 124 on timeout); 128 + the signal after Ctrl-C; 1 for other "
      "errors. No container is left behind.");
  add_pipeline_option(*app, options->pipeline, true);
  app->add_option("--image", options->images,
                  "Verify only this image of VERIFY_IMAGES (or its tag); repeatable");
  app->add_option("-j,--jobs", options->jobs, "Images verified at once")
      ->check(CLI::PositiveNumber);
  app->add_flag("-f,--force", options->force, "Verify even when a passed run is recorded");
  app->add_flag("-v,--verbose", options->verbose, "Say which engine was chosen and why");
  return stage_command(app, options, stages::run_verify_stage);
}

}  // namespace dp::cli
