#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What a pyproject.toml tells about where its build backend reads the version.
namespace dp::stamp {

// A version the backend derives from git when it builds: no file of the source tree holds it, and
// the backend takes it from an environment variable instead.
struct ScmVersion {
  std::string backend;   // as messages name it: "hatch-vcs", "setuptools-scm", "pdm-backend"
  std::string variable;  // SETUPTOOLS_SCM_PRETEND_VERSION or PDM_BUILD_SCM_VERSION
  // In an unpacked sdist, the version of its PKG-INFO is built instead (hatchling reads it before
  // hatch-vcs, setuptools-scm where there is no git); pdm-backend does not read it.
  bool reads_pkg_info = true;
};

struct DynamicVersion {
  // The setting that names the source, as messages quote it:
  // `[tool.setuptools.dynamic] version = {attr = "pkg.__version__"}`.
  std::string setting;
  // Relative to pyproject.toml's folder, in the backend's order of lookup: the first that exists
  // holds the version. Empty when `scm` is set.
  std::vector<std::filesystem::path> candidates;
  // The Python names assigned the version in that file; empty when the file's whole content is
  // the version (a VERSION file).
  std::vector<std::string> names;
  // What to stamp instead when no candidate exists.
  std::string otherwise;
  // Set when the backend derives the version from git.
  std::optional<ScmVersion> scm;
  // The file is a Cargo.toml whose [package] version (SemVer) maturin reads.
  bool cargo = false;
  // The backend imports the module when it holds no literal (setuptools attr, flit_core), so a
  // `from .mod import __version__` there leads to the file to stamp.
  bool follows_imports = false;
};

// The source of the version of the pyproject.toml `path` holding `content`, or nullopt when the
// file has a version of its own to stamp ([project] or [tool.poetry]), does not declare it
// dynamic, or is not valid TOML (stamp_content says which). Follows
//   setuptools         [tool.setuptools.dynamic] version = {attr = "..."} or {file = "..."}, with
//                      [tool.setuptools] package-dir and the src/ layout
//   hatchling          [tool.hatch.version] path (source "regex" or "code")
//   pdm-backend        [tool.pdm.version] source = "file", path
//   flit_core          __version__ of the module [tool.flit.module] or [project] name names
//   scikit-build-core  [tool.scikit-build] metadata.version provider regex, input
//   maturin            [package] version of Cargo.toml ([tool.maturin] manifest-path)
// the backend of [build-system] first. A version derived from git (hatch-vcs, setuptools-scm,
// pdm-backend's scm source, scikit-build-core's setuptools_scm provider) has `scm` set. Throws
// StampError naming `path` and the setting when the version comes from somewhere else no file
// holds it (a call, an environment variable).
std::optional<DynamicVersion> find_dynamic_version(const std::filesystem::path& path,
                                                   std::string_view content);

// A file that a build backend writes the version into when it builds, from git.
struct GeneratedFile {
  std::filesystem::path path;  // relative to the pyproject.toml's folder, lexically normal
  std::string backend;         // "setuptools-scm", "hatch-vcs", "pdm-backend", "scikit-build-core"
  std::string setting;         // `[tool.hatch.build.hooks.vcs] version-file = "..."`
};

// What stamping needs to know of a project from its pyproject.toml.
struct PyprojectFacts {
  std::string name;      // [project] name, else [tool.poetry] name; may be empty
  std::string backend;   // the build backend as users name it: setuptools, hatchling, flit_core,
                         // poetry-core, pdm-backend, maturin, scikit-build-core, or the module
  bool dynamic = false;  // [project] declares the version dynamic and the file holds none
  std::vector<GeneratedFile> generated;
};

// Nullopt when `content` is not valid TOML.
std::optional<PyprojectFacts> read_pyproject(std::string_view content);

// The name of the build backend that `backend` (an import path such as "hatchling.build") is,
// given the requirements of [build-system]: "hatchling". Setuptools when `backend` is empty.
std::string backend_name(std::string_view backend, const std::vector<std::string>& requires_);

}  // namespace dp::stamp
