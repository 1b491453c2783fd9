#include "cli/version_source_options.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <stdexcept>

#include "pipeline/version_source.hpp"
#include "version/pep440.hpp"

namespace dp::cli {

CLI::Option* add_version_source_options(CLI::App& app, VersionSourceOptions& options,
                                        CLI::App* group) {
  options.from_option =
      (group != nullptr ? group : &app)
          ->add_option("--from", options.from,
                       "Where the version comes from: git (git describe in the current "
                       "directory's repository, as setuptools-scm reads it), git:DIR, or "
                       "file:PATH (a file holding only the version)")
          ->type_name("SOURCE");
  app.add_flag("--no-local", options.no_local,
               "git: leave out the local part (+g<sha>, .dYYYYMMDD), which indexes refuse")
      ->needs(options.from_option);
  app.add_option("--tag-regex", options.tag_regex,
                 "git: which tags hold versions; the version is the group named version, else "
                 "the first group (default: setuptools-scm's)")
      ->type_name("REGEX")
      ->needs(options.from_option);
  return options.from_option;
}

std::string read_version_from(const VersionSourceOptions& options) {
  auto source = pipeline::parse_version_source(options.from, std::filesystem::current_path());
  if (source.kind != pipeline::VersionSource::Kind::git &&
      (options.no_local || !options.tag_regex.empty())) {
    throw std::invalid_argument(
        fmt::format("--no-local and --tag-regex apply to --from git, not to '{}'", options.from));
  }
  source.local = !options.no_local;
  source.tag_regex = options.tag_regex;
  const auto text = pipeline::read_version_source(source);
  try {
    return version::normalize(text);
  } catch (const version::VersionError& e) {
    throw version::VersionError(fmt::format("{}: {}", pipeline::describe(source), e.what()));
  }
}

}  // namespace dp::cli
