#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docker/build_context.hpp"
#include "docker/build_secrets.hpp"
#include "docker/engine.hpp"

namespace dp::docker {

struct ImageBuild {
  BuildContext context;
  std::string dockerfile;  // relative to the context root
  std::vector<std::string> tags;
  std::vector<std::pair<std::string, std::string>> build_args;
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<BuildSecret> secrets;
  bool pull = false;               // may refresh base images from their registry
  std::filesystem::path iid_file;  // receives the image id when the build succeeds
};

// The client's arguments after the executable: `build ... -` (the context comes on stdin).
// Without `pull`, podman is told never to pull; docker pulls nothing that is present, which the
// caller has checked.
std::vector<std::string> build_arguments(const Engine& engine, const ImageBuild& build);

// Runs the build, streaming the context on stdin; returns the image id. Its output goes live to
// ours, or line by line to `on_line` when given (a build beside others). Throws with the builder's
// exit status when the build fails.
std::string build_image(const Engine& engine, const ImageBuild& build,
                        std::function<void(std::string_view)> on_line = {});

// The image id recorded by a previous build; throws naming the file when there is none.
std::string read_image_id(const std::filesystem::path& iid_file);

}  // namespace dp::docker
