#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/errors.hpp"

namespace dp::docker {

// No container engine can be used as asked, or its client failed at what it was asked to do.
class EngineError : public UserError {
 public:
  using UserError::UserError;
};

enum class EngineKind { docker, podman };

// A container engine client this machine can use, and how its builds run.
struct Engine {
  std::string client;  // executable: "docker", "podman" or a path
  EngineKind kind = EngineKind::docker;
  std::string version;    // the client's version
  bool buildkit = false;  // docker only: BuildKit (true) or the classic builder
  std::string reason;     // why this engine and builder were chosen, for --verbose

  std::vector<std::string> command(std::vector<std::string> args) const;
  // Variables the client needs to build with the chosen builder.
  std::vector<std::pair<std::string, std::string>> build_environment() const;
  // BuildKit and podman mount build secrets (RUN --mount=type=secret); the classic builder cannot.
  bool can_mount_secrets() const { return kind == EngineKind::podman || buildkit; }
  // "docker (BuildKit)", "docker (classic builder)" or "podman".
  std::string builder() const;
};

// What to use where the classic builder cannot do what a build needs (secrets, RUN --mount).
inline constexpr std::string_view kMountingBuilders =
    "use a client with BuildKit (the buildx plugin, or DOCKER_BUILDKIT=1 with a docker client "
    "older than 23.0, e.g. DOCKER_PIPELINE_ENGINE=/usr/bin/docker), or podman (ENGINE podman)";

// The order of detection, as `build --help` documents it.
inline constexpr std::string_view kDetectionOrder =
    "The engine is the pipeline's ENGINE (add_docker_pipeline(... ENGINE docker|podman), or the "
    "cache variable DOCKER_PIPELINE_ENGINE), else the environment variable DOCKER_PIPELINE_ENGINE "
    "(docker, podman or a path to either client), else docker if its client is in PATH and its "
    "engine answers, else podman (but never in place of an engine that DOCKER_HOST or "
    "DOCKER_CONTEXT "
    "names: that one not answering is an error). A docker client builds with BuildKit when it has "
    "the buildx "
    "plugin, or is older than 23.0 (BuildKit built in, from 18.09), else with the classic builder; "
    "DOCKER_BUILDKIT=1 or 0 in the environment decides instead (1 with a client that cannot is an "
    "error). podman always builds with its own builder, which mounts secrets. DOCKER_HOST, the "
    "docker context and podman's CONTAINER_HOST are left to the client: the context is streamed to "
    "the engine, never bind-mounted.";

bool is_podman_client(std::string_view client);

// The client to use when the pipeline or the environment names one: the pipeline's field wins
// over DOCKER_PIPELINE_ENGINE. nullopt: detect.
struct EngineRequest {
  std::string client;
  std::string reason;
};
std::optional<EngineRequest> requested_engine(std::string_view pipeline_engine,
                                              const char* environment_value);

// How a docker client of `client_version` builds; `docker_buildkit` is DOCKER_BUILDKIT's value
// when set. Throws when it asks for BuildKit that the client cannot run, or is not a boolean.
struct BuilderChoice {
  bool buildkit = false;
  std::string reason;
};
BuilderChoice choose_docker_builder(std::string_view client_version, bool has_buildx,
                                    const char* docker_buildkit);

// Throws EngineError with `failure` (what the engine's client did not do). When the engine no
// longer answers (its daemon stopped, the socket or connection to it went away), the message says
// so and names the engine and where it was reached, so that the failure is not mistaken for the
// build's or the tests': "<failure>: the docker engine (DOCKER_HOST=...) stopped answering
// (<the client's complaint>); run it again once it answers".
[[noreturn]] void throw_engine_failure(const Engine& engine, const std::string& failure);

// Why the engine no longer answers ("the docker engine (DOCKER_HOST=...) stopped answering
// (<the client's complaint>)"), or nothing while it does. One round trip.
std::optional<std::string> engine_gone(const Engine& engine);

// Finds a working engine (see kDetectionOrder); `pipeline_engine` is the pipeline's ENGINE
// ("", "docker" or "podman"). Throws when none works, with the client's own message.
Engine detect_engine(std::string_view pipeline_engine = {});

}  // namespace dp::docker
