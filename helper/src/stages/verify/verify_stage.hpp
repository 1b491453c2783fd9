#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/pipeline.hpp"
#include "stages/reporter.hpp"

// The verify stage (`docker-pipeline verify`): the dists the test stage copied out, installed in
// fresh containers of each VERIFY_IMAGES image (none of the package's source inside, one venv per
// dist, offline) and tested there with VERIFY_COMMAND.
namespace dp::stages {

struct VerifyOptions {
  std::filesystem::path pipeline;
  std::vector<std::string>
      images;            // only these (an image of VERIFY_IMAGES or its name); empty: all
  int jobs = 0;          // images at once; 0: DOCKER_PIPELINE_JOBS, else the cores
  bool force = false;    // run even when a passed run is recorded
  bool verbose = false;  // say which engine was chosen and why
};

struct VerifyTarget {
  std::string image;  // as VERIFY_IMAGES names it
  std::string name;   // its tag: folders, records, CTest's <pipeline>.verify.<name>
};

// What the stage checks without an engine.
struct VerifyPlan {
  std::vector<VerifyTarget> targets;
  std::vector<std::string> command;  // VERIFY_COMMAND, else TEST_COMMAND
};

// Throws pipeline::PipelineError naming the field: two images of one tag, images without a
// command to run or without DIST_DIR, a VERIFY_FILES path or a WHEELHOUSE that is not there.
VerifyPlan prepare_verify(const pipeline::Pipeline& pipeline);

// Returns 0 when every image passed, else the status of the first that did not.
int run_verify_stage(const VerifyOptions& options, Reporter& reporter);

}  // namespace dp::stages
