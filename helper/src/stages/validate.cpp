#include "stages/validate.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "docker/dockerfile.hpp"
#include "pipeline/resolved_version.hpp"
#include "pipeline/version_source.hpp"
#include "scm/git_version.hpp"
#include "scm/tag_pattern.hpp"
#include "stages/test/test_outputs.hpp"

namespace dp::stages {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const pipeline::Pipeline& p, std::string_view field,
                       std::string_view problem) {
  throw pipeline::PipelineError(fmt::format("{}: field '{}': {}", p.file.string(), field, problem));
}

std::string plural(std::size_t count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

}  // namespace

std::string check_version(const pipeline::Pipeline& p) {
  if (p.version.kind != pipeline::VersionSource::Kind::git) {
    return pipeline::resolve_version(p).canonical;
  }
  std::error_code error;
  if (!fs::is_directory(p.version.path, error)) {
    fail(p, "version_from.directory",
         fmt::format("{} is not a directory, so it has no version from git",
                     p.version.path.string()));
  }
  try {
    const scm::TagPattern pattern(p.version.tag_regex);
  } catch (const scm::ScmError& e) {
    fail(p, "version_from.tag_regex", e.what());
  }
  return fmt::format("from {} (read at build time)", pipeline::describe(p.version));
}

std::size_t check_dockerfile(const pipeline::Pipeline& p) {
  std::error_code error;
  if (!fs::is_directory(p.context, error)) {
    fail(p, "context", fmt::format("{} is not a directory", p.context.string()));
  }
  const auto dockerfile = p.context / p.dockerfile;
  if (!fs::is_regular_file(dockerfile, error)) {
    fail(p, "dockerfile", fmt::format("{} is not a file", dockerfile.string()));
  }
  try {
    return docker::parse_dockerfile(docker::read_dockerfile(dockerfile)).size();
  } catch (const docker::DockerfileError& e) {
    fail(p, "dockerfile", fmt::format("{}: {}", dockerfile.string(), e.what()));
  }
}

void check_stamp_files(const pipeline::Pipeline& p) {
  for (std::size_t i = 0; i < p.stamp.size(); ++i) {
    const auto field = fmt::format("stamp[{}]", i);
    const auto& relative = p.stamp[i];
    const auto path = p.context / relative;
    std::error_code error;
    if (fs::is_symlink(path, error)) {
      fail(p, field,
           fmt::format("'{}' is a symbolic link; stamp the file it points to", relative.string()));
    }
    if (!fs::is_regular_file(path, error)) {
      fail(p, field,
           fmt::format("'{}' is not a file in the context {}", relative.string(),
                       p.context.string()));
    }
  }
}

void check_artifacts(const pipeline::Pipeline& p) {
  try {
    docker::artifact_names(p.artifacts);
  } catch (const std::invalid_argument& e) {
    fail(p, "artifacts", e.what());
  }
}

Validation validate(const pipeline::Pipeline& p) {
  Validation validation;
  validation.version = check_version(p);
  validation.dockerfile_instructions = check_dockerfile(p);
  check_stamp_files(p);
  validation.stamp_files = p.stamp.size();
  check_artifacts(p);
  validation.artifacts = p.artifacts.size();
  return validation;
}

std::string describe(const pipeline::Pipeline& p, const Validation& validation) {
  return fmt::format("{}: OK: pipeline {}, format {}, version {}, {} ({}), {}, {}", p.file.string(),
                     p.name, version::to_string(p.format), validation.version,
                     p.dockerfile.string(),
                     plural(validation.dockerfile_instructions, "instruction", "instructions"),
                     plural(validation.stamp_files, "STAMP file", "STAMP files"),
                     plural(validation.artifacts, "artifact", "artifacts"));
}

}  // namespace dp::stages
