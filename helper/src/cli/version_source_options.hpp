#pragma once

#include <CLI/CLI.hpp>
#include <string>

// `--from SOURCE` with its git options, shared by `version` and `stamp`.
namespace dp::cli {

struct VersionSourceOptions {
  std::string from;  // git, git:DIR or file:PATH
  bool no_local = false;
  std::string tag_regex;
  CLI::Option* from_option = nullptr;

  bool given() const { return from_option->count() > 0; }
};

// Adds --from (to `group` when given, else to `app`), --no-local and --tag-regex.
CLI::Option* add_version_source_options(CLI::App& app, VersionSourceOptions& options,
                                        CLI::App* group = nullptr);

// The version the source holds now, normalized (PEP 440). Throws with the source named.
std::string read_version_from(const VersionSourceOptions& options);

}  // namespace dp::cli
