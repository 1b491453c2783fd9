#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "stages/reporter.hpp"

// The check stage (`docker-pipeline check`): sdists and wheels validated before upload.
namespace dp::stages {

struct CheckOptions {
  std::vector<std::string> files;  // files or glob patterns; none: the pipeline's dists
  std::filesystem::path pipeline;  // optional: then every dist must carry the built version
  bool strict = false;             // warnings fail too
};

// Prints one report per file; returns 0 when all passed, else 1.
int run_check_stage(const CheckOptions& options, Reporter& reporter);

}  // namespace dp::stages
