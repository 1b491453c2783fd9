#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "version/pep440.hpp"

namespace dp::cli {
namespace {

// Each action is an option; exactly one of them is given.
struct VersionOptions {
  std::string normalize;
  std::string check;
  std::vector<std::string> compare;
  std::string docker_tag;
  CLI::Option* normalize_option = nullptr;
  CLI::Option* check_option = nullptr;
  CLI::Option* compare_option = nullptr;
  CLI::Option* docker_tag_option = nullptr;
};

int run_version(const VersionOptions& options) {
  if (options.normalize_option->count() > 0) {
    fmt::print("{}\n", version::normalize(options.normalize));
  } else if (options.check_option->count() > 0) {
    version::parse(options.check);
  } else if (options.compare_option->count() > 0) {
    const auto a = version::parse(options.compare.at(0));
    const auto b = version::parse(options.compare.at(1));
    fmt::print("{}\n", version::compare(a, b));
  } else {
    fmt::print("{}\n", version::docker_tag(version::parse(options.docker_tag)));
  }
  return 0;
}

}  // namespace

Command add_version_command(CLI::App& parent) {
  auto options = std::make_shared<VersionOptions>();
  auto* app = parent.add_subcommand("version", "Normalize, check and compare PEP 440 versions");
  app->footer(
      "Versions are read as PEP 440 (and Python's packaging) reads them: 'v1.0-BETA.1' is 1.0b1.\n"
      "An invalid version is an error (exit status 1) naming the offending character.");
  auto* actions = app->add_option_group("action", "What to do (exactly one)");
  options->normalize_option = actions->add_option("--normalize", options->normalize,
                                                  "Print the canonical form of a version");
  options->check_option =
      actions->add_option("--check", options->check, "Exit 0, silently, if a version is valid");
  options->compare_option =
      actions
          ->add_option(
              "--compare", options->compare,
              "Print -1, 0 or 1 as the first version sorts before, with or after the second")
          ->expected(2)
          ->type_name("V");
  options->docker_tag_option =
      actions->add_option("--docker-tag", options->docker_tag,
                          "Print the version as an image tag ('+' becomes '-', '!' becomes '_')");
  for (auto* option :
       {options->normalize_option, options->check_option, options->docker_tag_option}) {
    option->type_name("V");
  }
  actions->require_option(1);
  return {app, [options] { return run_version(*options); }};
}

}  // namespace dp::cli
