#pragma once

#include <filesystem>
#include <string>

namespace dp::stages {

// `--from SOURCE` of `version` and `stamp`, with its git options.
struct VersionFrom {
  std::string from;  // git, git:DIR or file:PATH (relative to `directory`)
  bool no_local = false;
  std::string tag_regex;
  std::filesystem::path directory;  // where `from` is read from; empty: the current directory
};

// The version the source holds now, normalized (PEP 440). Throws with the source named; git
// options with another source are a dp::UserError.
std::string read_version_from(const VersionFrom& source);

}  // namespace dp::stages
