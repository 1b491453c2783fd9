#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stages/reporter.hpp"
#include "stages/version/version_from.hpp"

// `docker-pipeline stamp`: a version written into files on disk.
namespace dp::stages {

struct StampRequest {
  std::string version;                 // normalized (PEP 440) first, unless `source` is given
  std::optional<VersionFrom> source;   // the version a source holds now
  std::optional<std::string> pattern;  // stamp where this regex's one group matches
  bool dry_run = false;                // show the changes as diffs; write nothing
  std::vector<std::filesystem::path> files;
  // Relative files (and a source with no directory of its own) are read and written here, and
  // named as given; empty: the current directory.
  std::filesystem::path directory;
};

// Every file is stamped in memory first, so one that cannot be leaves all of them untouched.
// Prints one line per file (FILE: stamped OLD -> NEW ...); returns 0.
int run_stamp_stage(const StampRequest& request, Reporter& reporter);

}  // namespace dp::stages
