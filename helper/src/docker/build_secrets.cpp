#include "docker/build_secrets.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace dp::docker {
namespace {

// The builder reads --secret as one CSV record: a field holding a comma or quote is quoted.
std::string csv_field(const std::string& field) {
  if (field.find_first_of(",\"") == std::string::npos) return field;
  std::string quoted = "\"";
  for (const char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace

void require_secret_support(const Engine& engine, const std::vector<BuildSecret>& secrets) {
  if (secrets.empty() || engine.can_mount_secrets()) return;
  throw EngineError(fmt::format(
      "the pipeline has SECRETS ({}{}), but {} {} builds here with the classic builder, which "
      "cannot mount build secrets (and they are never copied into the build instead): {}",
      secrets.front().id, secrets.size() > 1 ? ", ..." : "", engine.client, engine.version,
      kMountingBuilders));
}

void check_secret_sources(const std::vector<BuildSecret>& secrets) {
  for (const auto& secret : secrets) {
    if (!secret.file.empty()) {
      std::error_code error;
      if (!std::filesystem::is_regular_file(secret.file, error)) {
        throw BuildSecretError(
            fmt::format("build secret '{}': {} is not a file", secret.id, secret.file.string()));
      }
      if (::access(secret.file.c_str(), R_OK) != 0) {
        throw BuildSecretError(
            fmt::format("build secret '{}': {} is not readable", secret.id, secret.file.string()));
      }
    } else {
      const char* value = std::getenv(secret.variable.c_str());
      if (value == nullptr || *value == '\0') {
        throw BuildSecretError(
            fmt::format("build secret '{}': the environment variable {} is not set or empty",
                        secret.id, secret.variable));
      }
    }
  }
}

std::vector<std::string> secret_arguments(const std::vector<BuildSecret>& secrets) {
  std::vector<std::string> args;
  for (const auto& secret : secrets) {
    args.push_back("--secret");
    args.push_back(secret.file.empty() ? fmt::format("id={},env={}", csv_field(secret.id),
                                                     csv_field(secret.variable))
                                       : fmt::format("id={},{}", csv_field(secret.id),
                                                     csv_field("src=" + secret.file.string())));
  }
  return args;
}

}  // namespace dp::docker
