#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace dp::pypi {

// What a distribution file is, judged by its name the way twine does.
enum class DistKind { wheel, sdist_tar_gz, sdist_zip };

std::optional<DistKind> dist_kind_of(const std::filesystem::path& file);
bool is_sdist(DistKind kind);
// The upload form's `filetype`: "bdist_wheel" or "sdist".
std::string filetype_of(DistKind kind);

// {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl
struct WheelName {
  std::string name;
  std::string version;
  std::string build;  // empty when there is no build tag
  std::string python_tag;
  std::string abi_tag;
  std::string platform_tag;
};
std::optional<WheelName> parse_wheel_name(std::string_view file_name);
// The wheel's python tag ("py3", "cp311", ...), or "any" when the name cannot be parsed (twine).
std::string wheel_pyversion(std::string_view file_name);

// {name}-{version}.tar.gz or .zip; the version is what follows the last '-'.
struct SdistName {
  std::string name;
  std::string version;
};
std::optional<SdistName> parse_sdist_name(std::string_view file_name);

// PEP 503: lowercase, runs of '-', '_', '.' become one '-'. Equal results: same project.
std::string normalize_project_name(std::string_view name);
// What twine sends as `name`: runs of characters other than [A-Za-z0-9.] become one '-'.
std::string safe_project_name(std::string_view name);
// Versions as file names carry them: lowercase, '-' escaped as '_' (wheel naming rules).
std::string version_for_file_name(std::string_view version);

}  // namespace dp::pypi
