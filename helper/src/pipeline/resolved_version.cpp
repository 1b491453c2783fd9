#include "pipeline/resolved_version.hpp"

#include <fmt/core.h>

#include "version/pep440.hpp"

namespace dp::pipeline {

ResolvedVersion resolve_version(const Pipeline& pipeline) {
  try {
    const auto parsed = version::parse(pipeline.version);
    return {version::to_string(parsed), version::docker_tag(parsed)};
  } catch (const version::VersionError& e) {
    throw PipelineError(fmt::format("{}: VERSION: {}", pipeline.file.string(), e.what()));
  }
}

}  // namespace dp::pipeline
