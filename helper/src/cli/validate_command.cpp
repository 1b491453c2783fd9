#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/command.hpp"
#include "cli/pipeline_option.hpp"
#include "pipeline/pipeline.hpp"
#include "stages/validate.hpp"

namespace dp::cli {

Command add_validate_command(CLI::App& parent) {
  auto pipeline_file = std::make_shared<std::filesystem::path>();
  auto* app = parent.add_subcommand(
      "validate", "Check a pipeline file and what it names, without an engine; change nothing");
  app->footer(
      "Checks what the stages check before they use an engine: the file's format and every "
      "field (a file from a newer module is refused: re-run cmake, or upgrade docker-pipeline), "
      "the version (VERSION and VERSION_FROM FILE read and normalized as PEP 440; for "
      "VERSION_FROM GIT, read at build time, only the folder and TAG_REGEX), CONTEXT and a "
      "DOCKERFILE that parses, STAMP files (regular files of the context, not symbolic links) and "
      "ARTIFACTS (no two copied to one name). Nothing is built, written or run.\n"
      "Prints one line: '<file>: OK: ...' and exits 0, or the first problem, naming the file and "
      "the field, and exits 1.");
  add_pipeline_option(*app, *pipeline_file, true);
  return {app, [pipeline_file] {
            const auto p = pipeline::load(*pipeline_file);
            fmt::print("docker-pipeline validate: {}\n", stages::describe(p, stages::validate(p)));
            return 0;
          }};
}

}  // namespace dp::cli
