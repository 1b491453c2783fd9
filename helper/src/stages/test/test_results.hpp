#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "docker/container.hpp"
#include "pipeline/pipeline.hpp"
#include "stages/reporter.hpp"

// What the test stage takes out of its container, with what it says about it.
namespace dp::stages {

struct CollectedArtifacts {
  std::vector<std::string> names;  // what is now in the folder
  std::string junit;               // the JUnit reports' one-line summary; empty: none
};

// Copies the pipeline's ARTIFACTS out into `folder` (or drops the folder when there are none) and
// summarizes the JUnit reports among them; each failed test is an annotation, at its file in the
// build context where the report names one.
CollectedArtifacts collect_artifacts(docker::Container& container, const pipeline::Pipeline& p,
                                     const std::filesystem::path& folder, Reporter& reporter);

// Copies the sdists and wheels of `version` in DIST_DIR out; returns their file names.
std::vector<std::string> collect_dists(docker::Container& container,
                                       const pipeline::Pipeline& pipeline,
                                       const std::string& version, Reporter& reporter);

}  // namespace dp::stages
