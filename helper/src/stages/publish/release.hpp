#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "pipeline/pipeline.hpp"
#include "pipeline/resolved_version.hpp"

namespace dp::stages {

// What `check` and `upload` take from a pipeline: its dists and the version its image was built
// with, which every dist must carry.
struct Release {
  pipeline::Pipeline pipeline;
  std::string version;
};

// Nothing when no pipeline file is given (the files come from the command line).
inline std::optional<Release> load_release(const std::filesystem::path& pipeline_file) {
  if (pipeline_file.empty()) return std::nullopt;
  auto loaded = pipeline::load(pipeline_file);
  auto version = pipeline::built_version(loaded).canonical;
  return Release{std::move(loaded), std::move(version)};
}

}  // namespace dp::stages
