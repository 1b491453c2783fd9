#pragma once

#include <string>
#include <string_view>

#include "pipeline/pipeline.hpp"

namespace dp::pipeline {

// The pipeline's version as every stage uses it: the PEP 440 canonical form, and the same
// version as a Docker tag ('+' of a local version becomes '-').
struct ResolvedVersion {
  std::string canonical;
  std::string docker_tag;
};

// Reads the pipeline's version source now (git and file sources change between builds).
// Throws PipelineError naming the pipeline file and the source when it cannot be read or is
// not valid PEP 440.
ResolvedVersion resolve_version(const Pipeline& pipeline);

// Writes `version` to `file` unless the file already holds it, so that build steps depending
// on the file run again only when the version changed. Returns true when it wrote.
bool write_version_if_changed(const std::filesystem::path& file, std::string_view version);

// The version the image was last built with (Pipeline::built_version_file()), which the stages
// after the build use, so that a commit made meanwhile cannot change it under them. Throws
// PipelineError when no image was built yet.
ResolvedVersion built_version(const Pipeline& pipeline);

}  // namespace dp::pipeline
