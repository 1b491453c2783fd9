#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dp::docker {

// A container engine client this machine can use, and how its builds run.
struct Engine {
  std::string client;     // executable: "docker", "podman" or a path
  bool buildkit = false;  // docker only: BuildKit (true) or the classic builder
  std::string reason;     // why this engine and builder were chosen, for --verbose

  std::vector<std::string> command(std::vector<std::string> args) const;
  // Variables the client needs to build with the chosen builder.
  std::vector<std::pair<std::string, std::string>> build_environment() const;
};

// Order: DOCKER_PIPELINE_ENGINE (docker, podman or a path to a client) if set, else docker, else
// podman, whichever is found first in PATH. A docker client builds with BuildKit if
// DOCKER_BUILDKIT says so, else if it has the buildx plugin, else with the classic builder.
Engine detect_engine();

}  // namespace dp::docker
