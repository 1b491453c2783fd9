#include "pypi/config/repository.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <array>
#include <cctype>

#include "pypi/config/pypirc.hpp"
#include "pypi/errors.hpp"

namespace dp::pypi {
namespace {

constexpr std::string_view default_config_file = "~/.pypirc";

struct ParsedUrl {
  std::string scheme;
  std::string host_and_rest;  // everything after "scheme://" and any userinfo
  std::optional<std::string> user;
  std::optional<std::string> password;

  std::string without_userinfo() const { return scheme + "://" + host_and_rest; }
};

// Only what twine checks: an http(s) scheme, a host, and the optional user:password@.
ParsedUrl parse_repository_url(std::string_view url, std::string_view origin) {
  const auto invalid = [&](std::string_view why) {
    return ConfigurationError(
        fmt::format("invalid repository URL from {}: {} ({})", origin, sanitized_url(url), why));
  };
  const auto separator = url.find("://");
  if (separator == std::string_view::npos) throw invalid("no scheme");
  ParsedUrl parsed;
  parsed.scheme = std::string{url.substr(0, separator)};
  for (auto& c : parsed.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (parsed.scheme != "http" && parsed.scheme != "https") throw invalid("not http or https");
  std::string_view rest = url.substr(separator + 3);
  const auto authority_end = rest.find_first_of("/?#");
  const auto at = rest.substr(0, authority_end).rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    const auto colon = userinfo.find(':');
    parsed.user = std::string{userinfo.substr(0, colon)};
    if (colon != std::string_view::npos) parsed.password = std::string{userinfo.substr(colon + 1)};
    rest.remove_prefix(at + 1);
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == ':') throw invalid("no host");
  parsed.host_and_rest = std::string{rest};
  return parsed;
}

// twine forces https for the PyPI hosts.
std::string normalized_url(const ParsedUrl& url) {
  static constexpr std::array<std::string_view, 4> pypi_hosts = {
      "pypi.python.org", "testpypi.python.org", "upload.pypi.org", "test.pypi.org"};
  const std::string_view rest = url.host_and_rest;
  const auto host = rest.substr(0, rest.find_first_of("/?#"));
  for (const auto pypi_host : pypi_hosts) {
    if (host == pypi_host) return "https://" + url.host_and_rest;
  }
  return url.without_userinfo();
}

// An environment variable, empty counting as unset (as in twine's argparse defaults).
std::optional<std::string> variable(const process::EnvironmentLookup& environment,
                                    std::string_view name) {
  auto value = environment(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

std::filesystem::path expand_home(std::string_view path,
                                  const process::EnvironmentLookup& environment) {
  if (!path.starts_with("~/")) return std::filesystem::path{path};
  const auto home = variable(environment, "HOME");
  if (!home) {
    throw ConfigurationError(
        fmt::format("cannot find {}: HOME is not set (use --config-file)", path));
  }
  return std::filesystem::path{*home} / path.substr(2);
}

// A username or password that nothing gives: the error saying where to give it, and the caller's
// hint.
[[noreturn]] void missing_credential(const RepositoryOptions& options, const std::string& message) {
  throw ConfigurationError(message + options.missing_credentials_hint);
}

ResolvedRepository resolve_from_url(const RepositoryOptions& options,
                                    const process::EnvironmentLookup& environment,
                                    std::string_view url, std::string_view origin) {
  const ParsedUrl parsed = parse_repository_url(url, origin);
  if (parsed.password && origin != "TWINE_REPOSITORY_URL") {
    throw ConfigurationError(fmt::format(
        "the repository URL from {} holds a password: credentials never go on the command line "
        "or into build files; set TWINE_PASSWORD or use a .pypirc section",
        origin));
  }
  ResolvedRepository resolved;
  resolved.url = normalized_url(parsed);
  if (options.username) {
    resolved.username = *options.username;
    resolved.username_origin = "--username";
  } else if (auto username = variable(environment, "TWINE_USERNAME")) {
    resolved.username = *username;
    resolved.username_origin = "TWINE_USERNAME";
  } else if (parsed.user && !parsed.user->empty()) {
    resolved.username = *parsed.user;
    resolved.username_origin = fmt::format("the URL from {}", origin);
  } else if (is_pypi(resolved.url)) {
    resolved.username = kTokenUsername;
    resolved.username_origin = "the PyPI default";
  } else if (!options.credentials_optional) {
    missing_credential(
        options,
        fmt::format("no username for {}: use -u/--username or set TWINE_USERNAME", resolved.url));
  }
  if (auto password = variable(environment, "TWINE_PASSWORD")) {
    resolved.password = *password;
    resolved.password_origin = "TWINE_PASSWORD";
  } else if (parsed.password && !parsed.password->empty()) {
    resolved.password = *parsed.password;
    resolved.password_origin = "the URL in TWINE_REPOSITORY_URL";
  } else if (!options.credentials_optional) {
    missing_credential(
        options,
        fmt::format(
            "no password for {}: set TWINE_PASSWORD (a repository given by URL reads no .pypirc; "
            "name a .pypirc section with -r to use its password)",
            resolved.url));
  }
  return resolved;
}

// The .pypirc section the options name (-r, else TWINE_REPOSITORY, else "pypi"), with its URL.
struct Section {
  std::string name;
  std::filesystem::path file;
  PypircRepository repository;
  std::string url;  // normalized
};

Section find_section(const RepositoryOptions& options,
                     const process::EnvironmentLookup& environment) {
  std::string name = "pypi";
  if (options.repository_name) {
    name = *options.repository_name;
  } else if (auto from_environment = variable(environment, "TWINE_REPOSITORY")) {
    name = *from_environment;
  }
  const bool explicit_file = options.config_file.has_value();
  const auto file = explicit_file ? expand_home(options.config_file->string(), environment)
                                  : expand_home(default_config_file, environment);
  const PypircConfig config = read_pypirc(file, explicit_file);
  const auto found = config.repositories.find(name);
  if (found == config.repositories.end()) {
    throw ConfigurationError(fmt::format(
        "no repository '{}' in {} (it defines: {}); list it in [distutils] index-servers and "
        "give it a [{}] section with repository = <upload URL>",
        name, file.string(), fmt::join(config.names(), ", "), name));
  }
  const PypircRepository& section = found->second;
  if (!section.url || section.url->empty()) {
    throw ConfigurationError(
        fmt::format("the [{}] section of {} has no `repository = <URL>`", name, file.string()));
  }
  const auto url = normalized_url(
      parse_repository_url(*section.url, fmt::format("[{}] in {}", name, file.string())));
  return {name, file, section, url};
}

ResolvedRepository resolve_from_pypirc(const RepositoryOptions& options,
                                       const process::EnvironmentLookup& environment) {
  const auto [name, file, section, url] = find_section(options, environment);
  const std::string section_origin = fmt::format("[{}] in {}", name, file.string());
  ResolvedRepository resolved;
  resolved.name = name;
  resolved.url = url;
  resolved.ca_cert = section.ca_cert;
  resolved.client_cert = section.client_cert;
  if (options.username) {
    resolved.username = *options.username;
    resolved.username_origin = "--username";
  } else if (auto username = variable(environment, "TWINE_USERNAME")) {
    resolved.username = *username;
    resolved.username_origin = "TWINE_USERNAME";
  } else if (is_pypi(resolved.url)) {
    resolved.username = kTokenUsername;
    resolved.username_origin = "the PyPI default";
  } else if (section.username && !section.username->empty()) {
    resolved.username = *section.username;
    resolved.username_origin = section_origin;
  } else if (!options.credentials_optional) {
    missing_credential(
        options,
        fmt::format(
            "no username for repository '{}' ({}): use -u/--username, set TWINE_USERNAME or add "
            "`username = ...` to the [{}] section of {}",
            name, resolved.url, name, file.string()));
  }
  if (auto password = variable(environment, "TWINE_PASSWORD")) {
    resolved.password = *password;
    resolved.password_origin = "TWINE_PASSWORD";
  } else if (section.password && !section.password->empty()) {
    resolved.password = *section.password;
    resolved.password_origin = section_origin;
  } else if (!options.credentials_optional) {
    missing_credential(
        options,
        fmt::format(
            "no password for repository '{}' ({}): set TWINE_PASSWORD or add `password = ...` to "
            "the [{}] section of {}",
            name, resolved.url, name, file.string()));
  }
  return resolved;
}

}  // namespace

void apply_pipeline_repository(RepositoryOptions& options, std::string_view pipeline_repository) {
  if (pipeline_repository.empty() || options.repository_name || options.repository_url) return;
  if (pipeline_repository.find("://") != std::string_view::npos) {
    options.repository_url = std::string{pipeline_repository};
    options.repository_url_origin = "the pipeline's REPOSITORY";
  } else {
    options.repository_name = std::string{pipeline_repository};
  }
}

ResolvedRepository resolve_repository(const RepositoryOptions& options,
                                      const process::EnvironmentLookup& environment) {
  if (options.password_on_command_line) {
    throw ConfigurationError(
        "-p/--password is not accepted: a password on the command line leaks into shell "
        "history and process lists; set TWINE_PASSWORD or put it in .pypirc");
  }
  if (options.repository_url) {
    return resolve_from_url(options, environment, *options.repository_url,
                            options.repository_url_origin);
  }
  if (auto url = variable(environment, "TWINE_REPOSITORY_URL")) {
    return resolve_from_url(options, environment, *url, "TWINE_REPOSITORY_URL");
  }
  return resolve_from_pypirc(options, environment);
}

bool is_pypi(std::string_view url) {
  return url.starts_with(pypi_upload_url) || url.starts_with(testpypi_upload_url);
}

std::string repository_url(const RepositoryOptions& options,
                           const process::EnvironmentLookup& environment) {
  if (options.repository_url) {
    return normalized_url(
        parse_repository_url(*options.repository_url, options.repository_url_origin));
  }
  if (auto url = variable(environment, "TWINE_REPOSITORY_URL")) {
    return normalized_url(parse_repository_url(*url, "TWINE_REPOSITORY_URL"));
  }
  return find_section(options, environment).url;
}

std::string sanitized_url(std::string_view url) {
  const auto separator = url.find("://");
  if (separator == std::string_view::npos) return std::string{url};
  const std::string_view rest = url.substr(separator + 3);
  const auto at = rest.substr(0, rest.find_first_of("/?#")).rfind('@');
  if (at == std::string_view::npos) return std::string{url};
  return fmt::format("{}://********@{}", url.substr(0, separator), rest.substr(at + 1));
}

}  // namespace dp::pypi
