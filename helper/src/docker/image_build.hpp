#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "docker/build_context.hpp"
#include "docker/engine.hpp"

namespace dp::docker {

struct ImageBuild {
  BuildContext context;
  std::string dockerfile;  // relative to the context root
  std::vector<std::string> tags;
  std::vector<std::pair<std::string, std::string>> build_args;
  std::vector<std::pair<std::string, std::string>> labels;
  std::filesystem::path iid_file;  // receives the image id when the build succeeds
};

// Runs the build with live output, streaming the context on stdin; returns the image id.
// Throws with the builder's exit status when the build fails.
std::string build_image(const Engine& engine, const ImageBuild& build);

// The image id recorded by a previous build; throws naming the file when there is none.
std::string read_image_id(const std::filesystem::path& iid_file);

}  // namespace dp::docker
