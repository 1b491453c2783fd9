#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "stages/test/test_stage.hpp"

namespace dp::cli {

Command add_test_command(CLI::App& parent) {
  auto options = std::make_shared<stages::TestOptions>();
  auto* app = parent.add_subcommand("test", "Run the pipeline's tests in a container of its image");
  app->footer(
      "TEST_COMMAND runs in a fresh container of the built image with live output and TEST_ENV "
      "(values reach the engine through its client's environment, never its command line).\n"
      "ARTIFACTS are copied to <output dir>/artifacts/<last path component> after every run, "
      "passed or failed (a missing one is a warning), and JUnit XML reports among them are "
      "summarized; when the tests pass, the sdists and wheels of the built version in DIST_DIR "
      "are copied to <output dir>/dist.\n"
      "A passed run is recorded; an unchanged pipeline and image with its outputs still there is "
      "not tested again unless --force (or DOCKER_PIPELINE_FORCE) is given.\n"
      "Exit status: the tests' own; 124 when they timed out; 128 + the signal after Ctrl-C or "
      "SIGTERM; 1 for other errors. The container is removed in every case; containers an earlier "
      "run left behind (its helper killed) are removed first.");
  add_pipeline_option(*app, options->pipeline, true);
  app->add_option("--timeout", options->timeout_seconds,
                  "Stop the tests after this many seconds, overriding TEST_TIMEOUT (0: no limit)")
      ->check(CLI::NonNegativeNumber);
  app->add_flag("-f,--force", options->force, "Run the tests even when a passed run is recorded");
  app->add_flag("-v,--verbose", options->verbose, "Say which engine was chosen and why");
  return stage_command(app, options, stages::run_test_stage);
}

}  // namespace dp::cli
