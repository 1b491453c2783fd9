#include "stages/validate.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <system_error>

#include "pipeline/resolved_version.hpp"
#include "pipeline/version_source.hpp"
#include "scm/git_version.hpp"
#include "scm/tag_pattern.hpp"
#include "stages/image/context_stamp.hpp"
#include "stages/image/image_stage.hpp"
#include "stages/test/test_stage.hpp"
#include "stages/verify/verify_stage.hpp"

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
  const auto instructions = read_dockerfile(p);
  check_matrix_arg(p, instructions);
  return instructions.size();
}

void check_stamp_files(const pipeline::Pipeline& p) {
  stamp_files(p);
}

void check_artifacts(const pipeline::Pipeline& p) {
  prepare_test(p);
}

Validation validate(const pipeline::Pipeline& p) {
  Validation validation;
  validation.version = check_version(p);
  validation.dockerfile_instructions = check_dockerfile(p);
  check_stamp_files(p);
  validation.stamp_files = p.stamp.size();
  check_artifacts(p);
  validation.artifacts = p.artifacts.size();
  validation.verify_images = prepare_verify(p).targets.size();
  return validation;
}

std::string describe(const pipeline::Pipeline& p, const Validation& validation) {
  return fmt::format(
      "{}: OK: pipeline {}, format {}, version {}, {} ({}), {}, {}{}{}", p.file.string(), p.name,
      version::to_string(p.format), validation.version, p.dockerfile.string(),
      plural(validation.dockerfile_instructions, "instruction", "instructions"),
      plural(validation.stamp_files, "STAMP file", "STAMP files"),
      plural(validation.artifacts, "artifact", "artifacts"),
      validation.verify_images == 0
          ? ""
          : ", " + plural(validation.verify_images, "verify image", "verify images"),
      p.variants.empty() ? "" : ", " + plural(p.variants.size(), "variant", "variants"));
}

}  // namespace dp::stages
