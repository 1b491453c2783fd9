#include "docker/engine.hpp"

#include <fmt/core.h>

#include <cstdlib>
#include <stdexcept>

#include "process/process.hpp"

namespace dp::docker {
namespace {

bool is_podman(const std::string& client) {
  return std::filesystem::path(client).filename().string().starts_with("podman");
}

bool has_buildx(const std::string& client) {
  process::Options quiet;
  quiet.capture_stdout = quiet.capture_stderr = true;
  return process::run({client, "buildx", "version"}, quiet).ok();
}

}  // namespace

std::vector<std::string> Engine::command(std::vector<std::string> args) const {
  args.insert(args.begin(), client);
  return args;
}

std::vector<std::pair<std::string, std::string>> Engine::build_environment() const {
  if (is_podman(client)) return {};
  return {{"DOCKER_BUILDKIT", buildkit ? "1" : "0"}};
}

Engine detect_engine() {
  Engine engine;
  if (const char* chosen = std::getenv("DOCKER_PIPELINE_ENGINE"); chosen != nullptr && *chosen) {
    if (process::find_executable(chosen).empty()) {
      throw std::runtime_error(
          fmt::format("DOCKER_PIPELINE_ENGINE={}: no such client in PATH", chosen));
    }
    engine.client = chosen;
    engine.reason = fmt::format("DOCKER_PIPELINE_ENGINE={}", chosen);
  } else if (!process::find_executable("docker").empty()) {
    engine.client = "docker";
    engine.reason = "docker found in PATH";
  } else if (!process::find_executable("podman").empty()) {
    engine.client = "podman";
    engine.reason = "podman found in PATH (no docker)";
  } else {
    throw std::runtime_error("no container engine client: neither docker nor podman is in PATH");
  }
  if (is_podman(engine.client)) return engine;

  if (const char* wanted = std::getenv("DOCKER_BUILDKIT"); wanted != nullptr && *wanted) {
    engine.buildkit = std::string_view(wanted) == "1";
    engine.reason += fmt::format("; DOCKER_BUILDKIT={}", wanted);
  } else {
    engine.buildkit = has_buildx(engine.client);
    engine.reason += engine.buildkit ? "; BuildKit through buildx"
                                     : "; classic builder (the client has no buildx)";
  }
  return engine;
}

}  // namespace dp::docker
