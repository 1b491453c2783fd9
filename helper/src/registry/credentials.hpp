#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "process/environment.hpp"

namespace dp::registry {

// What `docker login` / `podman login` stored for a registry. Kept in memory only: never in
// argv, a file of ours or output.
struct Credentials {
  std::string username;
  std::string password;
  std::string source;  // where they came from, for messages ("/root/.docker/config.json")
};

// The files in which an engine keeps its logins, in the order it reads them. podman:
// $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json, then docker's; docker:
// $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
std::vector<std::filesystem::path> auth_files(bool podman,
                                              const process::EnvironmentLookup& environment);

// The credentials the first of `files` that knows `registry` holds: its credential helper
// (credHelpers[registry], else credsStore: the program docker-credential-<name>, asked with
// `get`), else auths[registry].auth (base64 of "user:password"). Files that do not exist are
// skipped; a malformed one, or a helper that fails otherwise than "not found", is a UserError
// naming the file or the helper, never a secret.
std::optional<Credentials> stored_credentials(const std::string& registry,
                                              const std::vector<std::filesystem::path>& files);

}  // namespace dp::registry
