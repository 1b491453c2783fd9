#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stages/reporter.hpp"
#include "stages/version/version_from.hpp"

// `docker-pipeline version`: one action on versions given, or the version a source holds now.
namespace dp::stages {

enum class VersionAction { normalize, check, compare, docker_tag, bump };

struct VersionRequest {
  std::optional<VersionAction> action;  // none: the version of `source` or `pipeline`
  std::vector<std::string> values;      // the action's: V, A B, or PARTS V
  bool semver = false;                  // SemVer 2.0.0 (normalize, check, compare only)
  std::optional<VersionFrom> source;
  std::filesystem::path pipeline;  // when no source: the pipeline's version now
  std::filesystem::path output;    // with a source or pipeline: written only when it changed
};

// Prints the result (nothing for check, whose verdict is the exception); returns 0.
int run_version_stage(const VersionRequest& request, Reporter& reporter);

}  // namespace dp::stages
