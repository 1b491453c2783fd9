#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/errors.hpp"

// The package version from `git describe`, as setuptools-scm computes it with its default schemes
// (guess-next-dev and node-and-date).
namespace dp::scm {

class ScmError : public UserError {
 public:
  using UserError::UserError;
};

struct GitVersionOptions {
  std::filesystem::path directory;  // any folder inside the work tree; empty: the current one
  bool local = true;                // false: no local part (no +g<sha>, no .dYYYYMMDD)
  // ECMAScript regex for the tags that hold versions, matched from the tag's start; the version is
  // the group named `version` ((?P<version>...) as in setuptools-scm), else the first group, else
  // the whole match. Empty: setuptools-scm's default.
  std::string tag_regex;
  // The date of a dirty tree's .dYYYYMMDD. Default: $SOURCE_DATE_EPOCH if set, else today (UTC).
  std::optional<std::chrono::sys_days> today;
};

// The canonical PEP 440 version of the work tree:
//   on a tag, clean                    the tag's version            1.2.3
//   N commits past it                  next version, .devN, +g<id>  1.2.4.dev4+g1a2b3c4d5
//   tracked files changed              and .dYYYYMMDD               1.2.4.dev4+g1a2b3c4d5.d20261125
//   on the tag but changed             next version, .dev0          1.2.4.dev0+g1a2b3c4d5.d20261125
// The nearest tag whose name is a version counts (lightweight or annotated); others are skipped.
// Throws ScmError with a one-line reason: not a git work tree, git missing, no commit, no version
// tag (with how to fix it, also for shallow clones), an invalid tag regex.
std::string version_from_git(const GitVersionOptions& options);

}  // namespace dp::scm
