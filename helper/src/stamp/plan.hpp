#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// Stamping a set of files in memory first, so that callers write all of them or none: the CLI
// writes them to disk, the build stage sends them in the context stream.
namespace dp::stamp {

// One file stamping reads: its content before and after. `path` may differ from the file asked
// for: a pyproject.toml whose version is dynamic is stamped through the file its build backend
// reads the version from, and the PKG-INFO of an unpacked sdist is stamped with its project.
struct FileEdit {
  std::filesystem::path path;       // the file holding the version, lexically normal
  std::filesystem::path requested;  // the file given to plan_stamp that led here
  std::string before;
  std::string after;
  std::string old_version;  // the value the file held (the first, when it holds several)
  std::string new_version;  // the value written: the version, or its SemVer form in a Cargo.toml
  // Who reads the version from this file, for reports: "hatchling", "setuptools", "the package at
  // run time, not the build backend".
  std::string read_by;

  bool changes() const { return before != after; }
};

// A version that reaches its build backend through an environment variable the build sets
// (a build arg the Dockerfile declares) instead of a file: setuptools-scm, hatch-vcs, pdm-backend.
struct PassedVersion {
  std::filesystem::path pyproject;
  std::string backend;
  std::string variable;
};

struct StampPlan {
  std::vector<FileEdit> edits;  // in the order first reached
  std::vector<PassedVersion> passed;
};

// Returns a file's content, or nullopt when there is no such regular file; other failures throw.
// Paths are those given to plan_stamp, paths next to them that a pyproject.toml names, and the
// pyproject.toml, setup.py, setup.cfg and PKG-INFO of the folders above them.
using FileReader = std::function<std::optional<std::string>(const std::filesystem::path&)>;

// Reads files from disk (symbolic links followed).
FileReader disk_reader();

struct StampOptions {
  std::string version;  // written as is: normalize it first
  // A regex stamping every file instead of its kind's field (see stamp_with_pattern).
  std::optional<std::string> pattern;
  // Folders above this one are not looked at for a file's project (an image build's context);
  // unset: up to the first folder of the paths as given.
  std::optional<std::filesystem::path> root;
  // Set for an image build: the environment variables it passes the version in (the build args
  // the Dockerfile declares). Unset: the stamp command, whose messages say to set them instead.
  std::optional<std::set<std::string>> build_variables;
};

// The environment variables the backends that derive a version from git take it from instead:
// setuptools-scm (and hatch-vcs, scikit-build-core's provider), pdm-backend.
inline constexpr std::string_view kPretendVersionVariable = "SETUPTOOLS_SCM_PRETEND_VERSION";
inline constexpr std::string_view kPdmVersionVariable = "PDM_BUILD_SCM_VERSION";

// The environment variable setuptools-scm reads a pretend version of the project `name` from:
// SETUPTOOLS_SCM_PRETEND_VERSION_FOR_ and the name in upper case, runs of '-', '_' and '.' as '_'.
std::string pretend_version_variable(std::string_view name);

// "(read by hatchling)", "(read by setuptools, the version of pyproject.toml)": for reports.
std::string reader_note(const FileEdit& edit);

// Stamps every file of `files` in memory and returns an edit for every file read and stamped,
// changed or not, in the order first reached; a file reached twice (pyproject.toml and the
// __init__.py it reads) is one edit with both stamps. Files are stamped by kind (stamp_content),
// or through `options.pattern`; a pyproject.toml with `dynamic = ["version"]` is stamped through
// its version file (find_dynamic_version), found relative to the pyproject.toml's folder, and a
// module that imports its __version__ (`from .mod import __version__`, setup.py's
// `version=mod.__version__`) through that module. The PKG-INFO of a file's project (the nearest
// folder above it with a pyproject.toml, setup.py, setup.cfg or PKG-INFO) is stamped too: in an
// unpacked sdist hatchling and setuptools-scm take the version from it. A version derived from git
// is stamped through that PKG-INFO, or else passed (`passed`) when the build sets the variable its
// backend reads. Throws StampError naming the file (and for a dynamic version, the pyproject.toml
// and its setting) when one cannot be stamped, when it is a file a backend writes the version into
// as it builds, or when a version derived from git has no way to its backend.
StampPlan plan_stamp(const std::vector<std::filesystem::path>& files, const StampOptions& options,
                     const FileReader& read);

}  // namespace dp::stamp
