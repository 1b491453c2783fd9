#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "docker/dockerfile.hpp"
#include "docker/dockerfile_lint.hpp"
#include "docker/image_build.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/resolved_version.hpp"
#include "stages/reporter.hpp"

// The image stage (`docker-pipeline build`): the pipeline's image, built only when what
// determines it changed.
namespace dp::stages {

struct ImageOptions {
  std::filesystem::path pipeline;
  bool verbose = false;  // say which engine and builder were chosen and why, and the base images
  bool force = false;    // build even when nothing that determines the image changed
  bool allow_insecure_dockerfile = false;  // build a Dockerfile that lint refuses, with warnings
  int jobs = 0;  // matrix variants built at once; 0: DOCKER_PIPELINE_JOBS, else the cores
};

// What the stage decides before it asks an engine: the version, the Dockerfile, the context as
// stamped, the build args and tags, and what lint finds.
struct ImagePlan {
  pipeline::Pipeline pipeline;
  pipeline::ResolvedVersion version;
  std::filesystem::path dockerfile;  // context / DOCKERFILE
  std::vector<docker::Instruction> instructions;
  docker::ImageBuild build;               // all but the secrets, labels, pull and iid file
  std::vector<std::string> stamp_report;  // one line per file stamped in the context
  std::vector<docker::LintFinding> findings;
};

// CONTEXT's DOCKERFILE, parsed. Throws pipeline::PipelineError naming the field when CONTEXT or
// DOCKERFILE is missing, docker::DockerfileError naming the Dockerfile when it does not parse.
std::vector<docker::Instruction> read_dockerfile(const pipeline::Pipeline& pipeline);

// Throws pipeline::PipelineError when the pipeline has a MATRIX whose build arg the Dockerfile does
// not declare with ARG (every variant would build the same image).
void check_matrix_arg(const pipeline::Pipeline& pipeline,
                      const std::vector<docker::Instruction>& instructions);

// Resolves the version, parses the Dockerfile, plans the STAMP edits of the context and lints.
// Throws dp::UserError naming the file of what is wrong; lint findings are returned, not thrown.
ImagePlan prepare_image(pipeline::Pipeline pipeline);

// Lint's verdict: findings are an error listing them, or warnings when `allowed`.
void check_lint(const ImagePlan& plan, bool allowed, Reporter& reporter);

// Builds the image unless it is up to date; for a matrix, each variant's. Returns the exit
// status (0).
int run_image_stage(const ImageOptions& options, Reporter& reporter);

}  // namespace dp::stages
