#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "process/environment.hpp"
#include "stages/push/push_stage.hpp"

namespace dp::cli {

Command add_push_command(CLI::App& parent) {
  auto options = std::make_shared<stages::PushOptions>();
  auto* app = parent.add_subcommand("push", "Push the tested image to the registry of PUSH");
  app->footer(
      "Tags <registry>/<repository>:<version> (each MATRIX variant as <version>-<variant>; with "
      "PUSH_LATEST also latest) and pushes them with the engine's own login (docker login, "
      "podman login), which never passes through here. The registry is asked first: a tag that "
      "holds the same image is not pushed again; one that holds another image stops the push "
      "before anything is sent (latest may move). Prints each pushed <repository>@sha256 digest "
      "and records it in <work dir>/push.json.");
  add_pipeline_option(*app, options->pipeline, true);
  app->add_flag("-v,--verbose", options->verbose, "Say which engine was chosen and why");
  return stage_command(app, options, [](const stages::PushOptions& o, stages::Reporter& r) {
    return stages::run_push_stage(o, process::process_environment(), r);
  });
}

}  // namespace dp::cli
