#include "registry/credentials.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "process/process.hpp"
#include "text/base64.hpp"
#include "text/file.hpp"
#include "text/text.hpp"

namespace dp::registry {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// auths keys are "host:port" or a URL of it ("https://host:port/v1/").
bool names_registry(std::string key, const std::string& registry) {
  for (const char* scheme : {"https://", "http://"}) {
    if (key.starts_with(scheme)) key.erase(0, std::string_view(scheme).size());
  }
  if (const auto slash = key.find('/'); slash != std::string::npos) key.erase(slash);
  return key == registry;
}

std::optional<Credentials> from_helper(const std::string& helper, const std::string& registry) {
  const auto program = "docker-credential-" + helper;
  process::Options options;
  options.capture_stdout = true;
  options.capture_stderr = true;
  options.feed_stdin = [&registry](int fd) {
    std::string_view rest = registry;
    while (!rest.empty()) {
      const auto n = ::write(fd, rest.data(), rest.size());
      if (n <= 0) return;
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  };
  const auto result = process::run({program, "get"}, options);
  if (!result.ok()) {
    const auto said = std::string(text::trim(result.out + result.err));
    if (said.find("not found") != std::string::npos) return std::nullopt;
    throw UserError(fmt::format("the credential helper {} failed for {} (exit status {}): {}",
                                program, registry, result.status(), said.substr(0, 200)));
  }
  try {
    const auto answer = json::parse(result.out);
    return Credentials{answer.at("Username").get<std::string>(),
                       answer.at("Secret").get<std::string>(), program};
  } catch (const json::exception&) {
    throw UserError(fmt::format(
        "the credential helper {} answered for {} with no JSON object of Username and Secret",
        program, registry));
  }
}

std::optional<Credentials> from_file(const fs::path& file, const std::string& registry) {
  const auto content = text::read_file(file);
  if (!content) {
    throw UserError(fmt::format("{}: cannot read it: {}", file.string(), std::strerror(errno)));
  }
  json config;
  try {
    config = json::parse(*content);
  } catch (const json::exception& e) {
    throw UserError(fmt::format("{}: not a JSON object of logins: {}", file.string(), e.what()));
  }
  if (!config.is_object()) {
    throw UserError(fmt::format("{}: not a JSON object of logins", file.string()));
  }
  if (const auto helpers = config.find("credHelpers");
      helpers != config.end() && helpers->is_object()) {
    for (const auto& [key, helper] : helpers->items()) {
      if (names_registry(key, registry) && helper.is_string()) {
        return from_helper(helper.get<std::string>(), registry);
      }
    }
  }
  if (const auto auths = config.find("auths"); auths != config.end() && auths->is_object()) {
    for (const auto& [key, entry] : auths->items()) {
      if (!names_registry(key, registry) || !entry.is_object()) continue;
      const auto auth = entry.find("auth");
      if (auth == entry.end() || !auth->is_string()) continue;
      const auto decoded = text::base64_decode(auth->get<std::string>());
      const auto colon = decoded ? decoded->find(':') : std::string::npos;
      if (colon == std::string::npos) {
        throw UserError(
            fmt::format("{}: auths[\"{}\"].auth is not base64 of <user>:<password>; log in again",
                        file.string(), key));
      }
      return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1), file.string()};
    }
  }
  if (const auto store = config.find("credsStore"); store != config.end() && store->is_string()) {
    return from_helper(store->get<std::string>(), registry);
  }
  return std::nullopt;
}

}  // namespace

std::vector<fs::path> auth_files(bool podman, const process::EnvironmentLookup& environment) {
  std::vector<fs::path> files;
  const auto set = [&environment](const char* name) -> std::optional<std::string> {
    auto value = environment(name);
    if (value && value->empty()) return std::nullopt;
    return value;
  };
  if (podman) {
    if (const auto file = set("REGISTRY_AUTH_FILE")) {
      files.emplace_back(*file);
    } else if (const auto runtime = set("XDG_RUNTIME_DIR")) {
      files.push_back(fs::path(*runtime) / "containers" / "auth.json");
    }
  }
  if (const auto config = set("DOCKER_CONFIG")) {
    files.push_back(fs::path(*config) / "config.json");
  } else if (const auto home = set("HOME")) {
    files.push_back(fs::path(*home) / ".docker" / "config.json");
  }
  return files;
}

std::optional<Credentials> stored_credentials(const std::string& registry,
                                              const std::vector<fs::path>& files) {
  for (const auto& file : files) {
    std::error_code error;
    if (!fs::is_regular_file(file, error)) continue;
    if (auto found = from_file(file, registry)) return found;
  }
  return std::nullopt;
}

}  // namespace dp::registry
