#include "stages/version/version_from.hpp"

#include <fmt/core.h>

#include <filesystem>

#include "core/errors.hpp"
#include "pipeline/version_source.hpp"
#include "version/pep440.hpp"

namespace dp::stages {

std::string read_version_from(const VersionFrom& options) {
  auto source = pipeline::parse_version_source(options.from, options.directory.empty()
                                                                 ? std::filesystem::current_path()
                                                                 : options.directory);
  if (source.kind != pipeline::VersionSource::Kind::git &&
      (options.no_local || !options.tag_regex.empty())) {
    throw UserError(
        fmt::format("--no-local and --tag-regex apply to --from git, not to '{}'", options.from));
  }
  source.local = !options.no_local;
  source.tag_regex = options.tag_regex;
  const auto text = pipeline::read_version_source(source);
  try {
    return version::normalize(text);
  } catch (version::VersionError& e) {
    e.add_context(pipeline::describe(source));
    throw;
  }
}

}  // namespace dp::stages
