#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

// Stamping a set of files in memory first, so that callers write all of them or none: the CLI
// writes them to disk, the build stage sends them in the context stream.
namespace dp::stamp {

// One file stamping reads: its content before and after. `path` may differ from the file asked
// for: a pyproject.toml whose version is dynamic is stamped through the file its build backend
// reads the version from.
struct FileEdit {
  std::filesystem::path path;       // the file holding the version, lexically normal
  std::filesystem::path requested;  // the file given to plan_stamp that led here
  std::string before;
  std::string after;

  bool changes() const { return before != after; }
};

// Returns a file's content, or nullopt when there is no such regular file; other failures throw.
// Paths are those given to plan_stamp, or paths next to them that a pyproject.toml names.
using FileReader = std::function<std::optional<std::string>(const std::filesystem::path&)>;

// Reads files from disk (symbolic links followed).
FileReader disk_reader();

struct StampOptions {
  std::string version;  // written as is: normalize it first
  // A regex stamping every file instead of its kind's field (see stamp_with_pattern).
  std::optional<std::string> pattern;
};

// Stamps every file of `files` in memory and returns an edit for every file read and stamped,
// changed or not, in the order first reached; a file reached twice (pyproject.toml and the
// __init__.py it reads) is one edit with both stamps. Files are stamped by kind (stamp_content),
// or through `options.pattern`; a pyproject.toml with `dynamic = ["version"]` is stamped through
// its version file (find_dynamic_version), found relative to the pyproject.toml's folder. Throws
// StampError naming the file (and for a dynamic version, the pyproject.toml and its setting) when
// one cannot be stamped.
std::vector<FileEdit> plan_stamp(const std::vector<std::filesystem::path>& files,
                                 const StampOptions& options, const FileReader& read);

}  // namespace dp::stamp
