#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>

namespace dp::cli {

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
