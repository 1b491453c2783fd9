#pragma once

#include <string>

#include "pipeline/pipeline.hpp"

namespace dp::pipeline {

// The pipeline's version as every stage uses it: the PEP 440 canonical form, and the same
// version as a Docker tag ('+' of a local version becomes '-').
struct ResolvedVersion {
  std::string canonical;
  std::string docker_tag;
};

// Throws PipelineError naming the pipeline file when the version is not valid PEP 440.
ResolvedVersion resolve_version(const Pipeline& pipeline);

}  // namespace dp::pipeline
