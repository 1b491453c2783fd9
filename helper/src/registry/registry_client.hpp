#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/errors.hpp"
#include "pypi/http/curl_session.hpp"
#include "pypi/http/http_client.hpp"
#include "registry/credentials.hpp"
#include "registry/push_repository.hpp"

namespace dp::registry {

class RegistryError : public UserError {
 public:
  using UserError::UserError;
};

// What a registry holds under a tag.
struct Manifest {
  std::string digest;         // the manifest's, "sha256:..." (Docker-Content-Digest)
  std::string config_digest;  // its image config's: the image id an engine gives it; empty for
                              // an index of several platforms
};

// A WWW-Authenticate challenge: "Basic realm=..." or "Bearer realm=...,service=...,scope=...".
struct Challenge {
  std::string scheme;  // lower case
  std::map<std::string, std::string> parameters;
};
std::optional<Challenge> parse_challenge(std::string_view header);

// The registry API (distribution spec) for one repository: the questions a push needs answered.
// Authenticates as the engine would: Basic with the stored credentials, or the token flow
// (a token for pull,push on the repository from the challenge's realm).
class RegistryClient {
 public:
  RegistryClient(PushRepository target, std::optional<Credentials> credentials,
                 pypi::HttpOptions options = {});

  // The registry answers and takes the credentials for pushing to the repository (GET /v2/).
  // Throws RegistryError naming the registry and what it said.
  void check_access();

  // The manifest `tag` names, or nothing when the repository has no such tag (or no such
  // repository yet).
  std::optional<Manifest> manifest(std::string_view tag);

 private:
  pypi::HttpResponse send(pypi::HttpRequest request);
  void authenticate(const pypi::HttpResponse& refusal);

  PushRepository target_;
  std::optional<Credentials> credentials_;
  pypi::HttpOptions options_;
  // How requests authenticate once the registry asked: Basic with the credentials, or a token.
  bool basic_ = false;
  std::string bearer_;
};

}  // namespace dp::registry
