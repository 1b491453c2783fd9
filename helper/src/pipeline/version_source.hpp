#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/errors.hpp"

// Where a version comes from: written down, `git describe`, or a VERSION file. Git and file
// sources are read when a stage runs, so a new commit or tag changes the version without
// re-configuring.
namespace dp::pipeline {

class VersionSourceError : public UserError {
 public:
  using UserError::UserError;
};

struct VersionSource {
  enum class Kind { fixed, git, file };
  Kind kind = Kind::fixed;
  std::string value;           // fixed: the version as written
  std::filesystem::path path;  // git: a folder of the work tree; file: the VERSION file
  bool local = true;           // git: keep the local part (+g<sha>, .dYYYYMMDD)
  std::string tag_regex;       // git: which tags hold versions; empty: setuptools-scm's default

  static VersionSource fixed(std::string version) {
    return {Kind::fixed, std::move(version), {}, true, {}};
  }
};

// Reads a command line's `--from` value: `git`, `git:DIR` or `file:PATH`; relative paths are
// taken from `base`. Throws VersionSourceError naming the value and what is accepted.
VersionSource parse_version_source(std::string_view text, const std::filesystem::path& base);

// The version the source holds now, as written there (not yet normalized). Throws
// VersionSourceError (or scm::ScmError for git) naming the file or repository.
std::string read_version_source(const VersionSource& source);

// For messages: "0.0.2", "git describe in /src" or "file /src/VERSION".
std::string describe(const VersionSource& source);

}  // namespace dp::pipeline
