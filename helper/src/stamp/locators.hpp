#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Finding where a file's version value sits. Each locator returns the byte ranges of the value
// text (inside its quotes, if any) and throws StampError, naming `path`, when there is none.
namespace dp::stamp {

struct ValueSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Python source: `NAME = '...'`, `NAME: str = '...'`, `NAME = other = '...'` and keyword
// arguments `NAME='...'` for each name in `names`; a bare `NAME=CONSTANT` is followed to
// `CONSTANT = '...'` in the same file.
std::vector<ValueSpan> locate_python_version(const std::filesystem::path& path,
                                             std::string_view content,
                                             const std::vector<std::string_view>& names);

// Where a Python file takes its version from another module instead of a literal: a relative
// import `from .mod import __version__` (`from ._version import version as __version__`), or a
// module attribute `version=mod.__version__` (setup.py, which imports the module beside it).
struct VersionReference {
  std::string module;  // "mod", ".mod", "..pkg.mod" (leading dots: relative to the file's package)
  std::string name;    // the name it has there
};
std::optional<VersionReference> find_version_reference(std::string_view content,
                                                       const std::vector<std::string_view>& names);

// setup.cfg: `version = ...` (or `version: ...`) in the [metadata] section.
std::vector<ValueSpan> locate_setup_cfg_version(const std::filesystem::path& path,
                                                std::string_view content);

// pyproject.toml: the string value of [project] version and of [tool.poetry] version.
std::vector<ValueSpan> locate_pyproject_version(const std::filesystem::path& path,
                                                std::string_view content);

// Cargo.toml: the string value of [package] version.
std::vector<ValueSpan> locate_cargo_version(const std::filesystem::path& path,
                                            std::string_view content);

// PKG-INFO (an unpacked sdist's core metadata): the value of its `Version:` header.
std::vector<ValueSpan> locate_pkg_info_version(const std::filesystem::path& path,
                                               std::string_view content);

// The version field of a file by its kind (stamp_content's list, and PKG-INFO and Cargo.toml).
std::vector<ValueSpan> locate_version(const std::filesystem::path& path, std::string_view content);

// A plain version file (VERSION, version.txt) whose whole content, around blanks, line ends and a
// byte order mark, is the version.
std::vector<ValueSpan> locate_plain_version(const std::filesystem::path& path,
                                            std::string_view content);

}  // namespace dp::stamp
