#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/pipeline.hpp"
#include "stages/reporter.hpp"

// The test stage (`docker-pipeline test`): TEST_COMMAND in a container of the built image,
// ARTIFACTS and the dists copied out, a passed run recorded so that it is not repeated.
namespace dp::stages {

// As coreutils' timeout(1) reports a command it stopped.
inline constexpr int kTimedOutStatus = 124;

struct TestOptions {
  std::filesystem::path pipeline;
  double timeout_seconds = -1;  // negative: the pipeline's TEST_TIMEOUT; 0: no limit
  bool force = false;           // run even when a passed run is recorded
  bool verbose = false;         // say which engine was chosen and why
  int jobs = 0;  // matrix variants tested at once; 0: DOCKER_PIPELINE_JOBS, else the cores
};

// What the stage checks without an engine or a built image.
struct TestPlan {
  bool nothing_to_do = false;  // no TEST_COMMAND, ARTIFACTS or DIST_DIR
  std::vector<std::pair<std::string, std::string>> artifacts;  // container path, name
};

// Throws pipeline::PipelineError naming the field when two ARTIFACTS would land under one name.
TestPlan prepare_test(const pipeline::Pipeline& pipeline);

// For a matrix, each variant's tests, then the variants' dists merged into the pipeline's dist
// folder (merge_variant_dists). Returns the exit status: 0, the tests' own status, or
// kTimedOutStatus (a matrix: the first variant's in MATRIX order that did not pass).
int run_test_stage(const TestOptions& options, Reporter& reporter);

}  // namespace dp::stages
