#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "docker/engine.hpp"

namespace dp::docker {

// A build secret the Dockerfile mounts with RUN --mount=type=secret,id=<id>: from a file or from
// an environment variable of the build. Its value is never read here, only whether it exists.
struct BuildSecret {
  std::string id;
  std::filesystem::path file;  // src=
  std::string variable;        // env=
};

// A build secret whose source is missing; the message names its id, never its value.
class BuildSecretError : public UserError {
 public:
  using UserError::UserError;
};

// Throws EngineError when the engine's builder cannot mount secrets (the classic builder),
// saying what can.
void require_secret_support(const Engine& engine, const std::vector<BuildSecret>& secrets);

// Throws BuildSecretError naming the secret's id (never its value) when its file cannot be read
// or its variable is not set.
void check_secret_sources(const std::vector<BuildSecret>& secrets);

// `--secret id=X,src=FILE` / `--secret id=X,env=VAR` arguments (CSV-quoted where needed).
std::vector<std::string> secret_arguments(const std::vector<BuildSecret>& secrets);

}  // namespace dp::docker
