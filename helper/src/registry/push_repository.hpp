#pragma once

#include <string>
#include <string_view>

namespace dp::registry {

// Where PUSH sends the image: a registry host and a repository in it.
struct PushRepository {
  std::string registry;    // host[:port], as the engine and its credential store name it
  std::string repository;  // path components, lower case ("team/app")

  // "<registry>/<repository>", and with ":<tag>" or "@<digest>" a reference to one image.
  std::string name() const { return registry + '/' + repository; }
  std::string tagged(std::string_view tag) const { return name() + ':' + std::string(tag); }
  std::string pinned(std::string_view digest) const { return name() + '@' + std::string(digest); }
};

// Parses PUSH's "<registry>/<repository>" ("127.0.0.1:5000/team/app", "ghcr.io/org/app"). The
// first part must name a registry as docker reads it (a '.' or ':' in it, or localhost): without
// one, docker would push to Docker Hub. Throws UserError naming the value and what is wrong.
PushRepository parse_push_repository(std::string_view value);

// The base URL of the registry's API: http:// for a loopback registry (which docker and podman
// reach without TLS), https:// for any other.
std::string api_base_url(const PushRepository& target);

// Whether `tag` is a valid tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
bool is_valid_tag(std::string_view tag);

}  // namespace dp::registry
