#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/command.hpp"
#include "pipeline/pipeline.hpp"
#include "stages/validate.hpp"

namespace dp::cli {

Command add_validate_command(CLI::App& parent) {
  auto pipeline_file = std::make_shared<std::filesystem::path>();
  auto* app = parent.add_subcommand(
      "validate", "Check a pipeline file and what it names, without an engine; change nothing");
  app->footer(
      "Checks what the stages check before they use an engine: the file's format and fields, the "
      "version, CONTEXT, DOCKERFILE, STAMP files and ARTIFACTS. Prints '<file>: OK: ...', or the "
      "first problem naming the file and the field (exit status 1).");
  add_pipeline_option(*app, *pipeline_file, true);
  return {app, [pipeline_file] {
            const auto p = pipeline::load(*pipeline_file);
            fmt::print("docker-pipeline validate: {}\n", stages::describe(p, stages::validate(p)));
            return 0;
          }};
}

}  // namespace dp::cli
