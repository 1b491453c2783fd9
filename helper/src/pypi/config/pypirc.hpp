#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dp::pypi {

inline constexpr std::string_view pypi_upload_url = "https://upload.pypi.org/legacy/";
inline constexpr std::string_view testpypi_upload_url = "https://test.pypi.org/legacy/";

// One repository as .pypirc describes it; unset values stay empty optionals.
struct PypircRepository {
  std::optional<std::string> url;  // the section's `repository`
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<std::string> ca_cert;      // twine's `ca_cert`: CA bundle for the index's TLS
  std::optional<std::string> client_cert;  // twine's `client_cert`: PEM with certificate and key
};

// The repositories a .pypirc defines, resolved the way twine's get_config() does:
// `pypi` always exists, `testpypi` unless [distutils] index-servers leaves it out, and every
// index server listed takes its values from its own section, [server-login] giving defaults.
struct PypircConfig {
  std::filesystem::path file;  // for messages; may not exist
  std::map<std::string, PypircRepository> repositories;

  std::vector<std::string> names() const;
};

// Parses .pypirc text (configparser's raw INI dialect). Malformed input throws
// ConfigurationError with the line number only: a line may hold a password.
PypircConfig parse_pypirc(std::string_view text, const std::filesystem::path& file);

// Reads a .pypirc file. A missing file is an error only when `must_exist`; otherwise it yields
// the defaults (pypi and testpypi without credentials).
PypircConfig read_pypirc(const std::filesystem::path& file, bool must_exist);

}  // namespace dp::pypi
