#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Where a pyproject.toml with `dynamic = ["version"]` has its build backend read the version.
namespace dp::stamp {

struct DynamicVersion {
  // The setting that names the source, as messages quote it:
  // `[tool.setuptools.dynamic] version = {attr = "pkg.__version__"}`.
  std::string setting;
  // Relative to pyproject.toml's folder, in the backend's order of lookup: the first that exists
  // holds the version.
  std::vector<std::filesystem::path> candidates;
  // The Python names assigned the version in that file; empty when the file's whole content is
  // the version (a VERSION file).
  std::vector<std::string> names;
  // What to stamp instead when no candidate exists.
  std::string otherwise;
};

// The source of the version of the pyproject.toml `path` holding `content`, or nullopt when the
// file has a version of its own to stamp ([project] or [tool.poetry]), does not declare it
// dynamic, or is not valid TOML (stamp_content says which). Follows
//   setuptools       [tool.setuptools.dynamic] version = {attr = "..."} or {file = "..."}, with
//                    [tool.setuptools] package-dir and the src/ layout
//   hatchling        [tool.hatch.version] path (source "regex" or "code")
//   pdm-backend      [tool.pdm.version] source = "file", path
//   setuptools-scm   [tool.setuptools_scm] version_file or write_to
//   flit_core        __version__ of the module [tool.flit.module] or [project] name names
// the backend of [build-system] first. Throws StampError naming `path` and the setting when the
// version comes from somewhere no file holds it (git tags, a call, an environment variable).
std::optional<DynamicVersion> find_dynamic_version(const std::filesystem::path& path,
                                                   std::string_view content);

}  // namespace dp::stamp
