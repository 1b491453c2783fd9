#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docker/container.hpp"

// What a test run leaves on the host: ARTIFACTS (always) and the dists of DIST_DIR (on success).
namespace dp::docker {

// Each artifact path lands in the artifacts folder under its last component
// ("/pydemo/reports" -> "reports", "/tmp/coverage.xml" -> "coverage.xml"). Returns
// (container path, name) pairs; throws std::invalid_argument for "/" or two paths with one name.
std::vector<std::pair<std::string, std::string>> artifact_names(
    const std::vector<std::string>& artifacts);

struct CopiedArtifacts {
  std::vector<std::string> names;     // what is now in the folder
  std::vector<std::string> warnings;  // paths that could not be copied, and why
};

// Copies every artifact into a staging folder beside `folder`, which then takes the place of
// `folder`. A path the container lacks is a warning; any other failure (a full disk) throws
// EngineError and leaves `folder` as it was.
CopiedArtifacts copy_artifacts(Container& container, const std::vector<std::string>& artifacts,
                               const std::filesystem::path& folder);

struct DistSelection {
  std::vector<std::string> dists;   // sdists and wheels of the version
  std::vector<std::string> others;  // anything else: other versions, logs, folders
};

// Sorts file names by whether they are a dist (judged by name) of `version` (PEP 440 equality:
// 1.0 is 1.0.0, 1.0 is not 1.0+local).
DistSelection select_dists(const std::vector<std::string>& file_names, std::string_view version);

// Copies `dist_dir` out through a staging folder beside `folder`, then leaves in `folder` (emptied
// first) only the dists of `version`. Returns the selection; `others` were not kept.
DistSelection copy_dists(Container& container, const std::string& dist_dir,
                         const std::filesystem::path& folder, std::string_view version);

}  // namespace dp::docker
