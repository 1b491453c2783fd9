#pragma once

#include <string>
#include <vector>

#include "docker/container.hpp"
#include "pipeline/pipeline.hpp"
#include "stages/reporter.hpp"

// What the test stage takes out of its container, with what it says about it.
namespace dp::stages {

// Copies ARTIFACTS out (or drops the folder when there are none) and summarizes the JUnit
// reports among them; returns the names now in the artifacts folder.
std::vector<std::string> collect_artifacts(docker::Container& container,
                                           const pipeline::Pipeline& pipeline, Reporter& reporter);

// Copies the sdists and wheels of `version` in DIST_DIR out; returns their file names.
std::vector<std::string> collect_dists(docker::Container& container,
                                       const pipeline::Pipeline& pipeline,
                                       const std::string& version, Reporter& reporter);

}  // namespace dp::stages
