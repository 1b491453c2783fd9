#pragma once

#include <string>

namespace dp::stages {

// `--from SOURCE` of `version` and `stamp`, with its git options.
struct VersionFrom {
  std::string from;  // git, git:DIR or file:PATH (relative to the current directory)
  bool no_local = false;
  std::string tag_regex;
};

// The version the source holds now, normalized (PEP 440). Throws with the source named; git
// options with another source are a dp::UserError.
std::string read_version_from(const VersionFrom& source);

}  // namespace dp::stages
