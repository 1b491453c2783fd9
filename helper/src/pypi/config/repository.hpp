#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "process/environment.hpp"

namespace dp::pypi {

// What the command line says about the target index (twine's options, minus --password).
struct RepositoryOptions {
  std::optional<std::string> repository_name;              // -r/--repository
  std::optional<std::string> repository_url;               // --repository-url
  std::string repository_url_origin = "--repository-url";  // names it in messages
  std::optional<std::string> username;                     // -u/--username
  std::optional<std::filesystem::path> config_file;        // --config-file; unset: ~/.pypirc
  bool password_on_command_line = false;  // -p/--password was given: always refused
  // A missing username or password is left empty, not an error: trusted publishing supplies both.
  bool credentials_optional = false;
  // Appended to the error that a username or password is missing ("; or ...").
  std::string missing_credentials_hint;
};

// Uses a pipeline's REPOSITORY as the option it stands for, unless the command line already
// chose a repository: a value containing "://" is a --repository-url, anything else a
// --repository name. An empty value changes nothing.
void apply_pipeline_repository(RepositoryOptions& options, std::string_view pipeline_repository);

// Where an upload goes and as whom.
struct ResolvedRepository {
  std::string name;  // the .pypirc section used; empty when a URL was given
  std::string url;   // without userinfo
  std::string username;
  std::string password;         // never print this
  std::string username_origin;  // e.g. "TWINE_USERNAME", "[local] in /home/u/.pypirc"
  std::string password_origin;
  // The section's ca_cert and client_cert; --cert, TWINE_CERT and --client-cert win over them.
  std::optional<std::string> ca_cert;
  std::optional<std::string> client_cert;
};

// Resolves like twine (non-interactive):
//   URL:      --repository-url, else TWINE_REPOSITORY_URL (a URL reads no .pypirc),
//             else the URL of the section named by -r, else TWINE_REPOSITORY, else "pypi";
//   username: -u, else TWINE_USERNAME, else the URL's user or the section's ("__token__" for
//             PyPI and TestPyPI, whose sections' usernames twine ignores);
//   password: TWINE_PASSWORD, else the section's (or, from TWINE_REPOSITORY_URL only, the URL's).
// Throws ConfigurationError saying what to set; messages never contain a password.
ResolvedRepository resolve_repository(const RepositoryOptions& options,
                                      const process::EnvironmentLookup& environment);

// The upload URL resolve_repository() would give, without asking for credentials: for the
// checks that depend on the index. Throws ConfigurationError as it does.
std::string repository_url(const RepositoryOptions& options,
                           const process::EnvironmentLookup& environment);

// The username of API tokens.
inline constexpr std::string_view kTokenUsername = "__token__";

// Whether an upload URL is PyPI's or TestPyPI's.
bool is_pypi(std::string_view url);

// The URL with any user:password@ removed, for messages.
std::string sanitized_url(std::string_view url);

}  // namespace dp::pypi
