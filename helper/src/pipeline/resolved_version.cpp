#include "pipeline/resolved_version.hpp"

#include <fmt/core.h>

#include <fstream>

#include "pipeline/version_source.hpp"
#include "text/file.hpp"
#include "text/text.hpp"
#include "version/pep440.hpp"

namespace dp::pipeline {
namespace {

namespace fs = std::filesystem;

ResolvedVersion from_text(std::string_view text) {
  const auto parsed = version::parse(text);
  return {version::to_string(parsed), version::docker_tag(parsed)};
}

// The argument of add_docker_pipeline() the version came from, for messages.
std::string source_argument(const VersionSource& source) {
  switch (source.kind) {
    case VersionSource::Kind::git:
      return "VERSION_FROM GIT";
    case VersionSource::Kind::file:
      return fmt::format("VERSION_FROM FILE {}", source.path.string());
    case VersionSource::Kind::fixed:
      break;
  }
  return "VERSION";
}

}  // namespace

ResolvedVersion resolve_version(const Pipeline& pipeline) {
  const auto& source = pipeline.version;
  try {
    return from_text(read_version_source(source));
  } catch (const version::VersionError& e) {
    throw PipelineError(
        fmt::format("{}: {}: {}", pipeline.file.string(), source_argument(source), e.what()));
  } catch (const std::runtime_error& e) {  // the source could not be read
    throw PipelineError(fmt::format("{}: {}", pipeline.file.string(), e.what()));
  }
}

bool write_version_if_changed(const fs::path& file, std::string_view version) {
  try {
    return text::write_file_if_changed(file, std::string(version) + "\n");
  } catch (const std::exception& e) {
    throw PipelineError(fmt::format("{} (the version)", e.what()));
  }
}

ResolvedVersion built_version(const Pipeline& pipeline) {
  const auto file = pipeline.built_version_file();
  const auto recorded = text::read_file(file);
  if (!recorded) {
    throw PipelineError(
        fmt::format("{}: no image was built yet ({} is missing); build the {}-image target first",
                    pipeline.file.string(), file.string(), pipeline.name));
  }
  try {
    return from_text(text::trim(*recorded));
  } catch (const version::VersionError& e) {
    throw PipelineError(fmt::format("{}: {}", file.string(), e.what()));
  }
}

}  // namespace dp::pipeline
