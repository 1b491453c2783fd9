#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/errors.hpp"

// Rewriting the version field of a Python project's files; only the value text ever changes.
namespace dp::stamp {

class StampError : public UserError {
 public:
  using UserError::UserError;
};

// Returns `content` with its version field set to `version`. The kind of file is chosen by the file
// name of `path`:
//   setup.py        `version = '...'` assignments and `version="..."` keyword arguments (and
//                   `__version__ = '...'`)
//   setup.cfg       `version = ...` in the [metadata] section
//   pyproject.toml  `version = "..."` of [project] and of [tool.poetry]
//   PKG-INFO        the `Version:` header (an unpacked sdist's metadata)
//   Cargo.toml      `version = "..."` of [package], as SemVer (value_for)
//   any other *.py  `__version__ = '...'` (also `__version__ = version = '...'`, annotated or not)
// Quote style, line endings and every other byte are kept, so stamping twice is stamping once.
// Throws StampError naming `path` when the file has no version field to stamp (never a silent
// no-op), when its version is not a literal (`attr:`, dynamic, computed), when the file kind is
// unknown, or when `version` holds characters no version has. plan_stamp (plan.hpp) also follows a
// dynamic pyproject.toml version to the file that holds it.
std::string stamp_content(const std::filesystem::path& path, std::string_view content,
                          std::string_view version);

// The text `version` is written as in the file `path`: the version itself, or for a Cargo.toml
// its SemVer form (1.0rc1 is 1.0.0-rc.1, which maturin reads back as 1.0.0rc1). Throws StampError
// naming `path` when the version holds characters no version has, or has no SemVer form there.
std::string value_for(const std::filesystem::path& path, std::string_view version);

// Rewrites the file in place atomically (temp file in the same dir + rename), keeping its mode.
// A symlink is followed: its target is rewritten. Returns true when the content changed; an
// unchanged file is not touched.
bool stamp_file(const std::filesystem::path& path, std::string_view version);

}  // namespace dp::stamp
