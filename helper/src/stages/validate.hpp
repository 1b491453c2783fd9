#pragma once

#include <cstddef>
#include <string>

#include "pipeline/pipeline.hpp"

// `docker-pipeline validate`: what the stages would check of a pipeline before they use an
// engine, checked without one and without side effects (nothing is built, written or run).
namespace dp::stages {

// What validate() found, for its one line of output.
struct Validation {
  std::string version;  // the canonical version, or where the build will read it from
  std::size_t dockerfile_instructions = 0;
  std::size_t stamp_files = 0;
  std::size_t artifacts = 0;
  std::size_t verify_images = 0;
};

// Runs every check below in order; the first problem is thrown as a UserError (most as
// pipeline::PipelineError) with one line naming the pipeline file and the field.
Validation validate(const pipeline::Pipeline& pipeline);

// The checks one by one, each what one stage does first.

// The version as the image stage resolves it: VERSION and VERSION_FROM FILE are read and
// normalized (PEP 440); VERSION_FROM GIT is read at build time (`git describe` may refresh the
// index), so only its folder and TAG_REGEX are checked. Returns what Validation::version says.
std::string check_version(const pipeline::Pipeline& pipeline);

// CONTEXT is a folder and DOCKERFILE a file in it that parses. Returns its instruction count.
std::size_t check_dockerfile(const pipeline::Pipeline& pipeline);

// Every STAMP file is a regular file of the context, not a symbolic link (the image stage stamps
// only what the context sends).
void check_stamp_files(const pipeline::Pipeline& pipeline);

// ARTIFACTS land in artifacts/<last path component>: each names one, and no two the same.
void check_artifacts(const pipeline::Pipeline& pipeline);

// "<file>: OK: pipeline <name>, format 1.0, version 0.0.2, ..."
std::string describe(const pipeline::Pipeline& pipeline, const Validation& validation);

}  // namespace dp::stages
