#pragma once

#include <CLI/CLI.hpp>

#include "stages/version/version_from.hpp"

// `--from SOURCE` with its git options, shared by `version` and `stamp`.
namespace dp::cli {

struct VersionSourceOptions {
  stages::VersionFrom source;
  CLI::Option* from_option = nullptr;

  bool given() const { return from_option->count() > 0; }
};

// Adds --from (to `group` when given, else to `app`), --no-local and --tag-regex.
inline CLI::Option* add_version_source_options(CLI::App& app, VersionSourceOptions& options,
                                               CLI::App* group = nullptr) {
  options.from_option =
      (group != nullptr ? group : &app)
          ->add_option("--from", options.source.from,
                       "Where the version comes from: git (git describe in the current "
                       "directory's repository, as setuptools-scm reads it), git:DIR, or "
                       "file:PATH (a file holding only the version)")
          ->type_name("SOURCE");
  app.add_flag("--no-local", options.source.no_local,
               "git: leave out the local part (+g<sha>, .dYYYYMMDD), which indexes refuse")
      ->needs(options.from_option);
  app.add_option("--tag-regex", options.source.tag_regex,
                 "git: which tags hold versions; the version is the group named version, else "
                 "the first group (default: setuptools-scm's)")
      ->type_name("REGEX")
      ->needs(options.from_option);
  return options.from_option;
}

}  // namespace dp::cli
