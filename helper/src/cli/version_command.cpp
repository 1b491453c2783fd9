#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/pipeline_option.hpp"
#include "cli/version_source_options.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/resolved_version.hpp"
#include "version/bump.hpp"
#include "version/pep440.hpp"
#include "version/semver.hpp"

namespace dp::cli {
namespace {

// Each action is an option taking the versions it works on as its values; exactly one is given.
// Actions read those values only through their Action, so a version source (say --from git) can
// later supply the version in place of a value.
struct Action {
  std::vector<std::string> values;
  CLI::Option* option = nullptr;

  bool given() const { return option->count() > 0; }
};

struct VersionOptions {
  Action normalize;
  Action check;
  Action compare;
  Action docker_tag;
  Action bump;  // PARTS V
  bool semver = false;
  VersionSourceOptions source;
  std::filesystem::path pipeline;
  CLI::Option* pipeline_option = nullptr;
  std::filesystem::path output;
};

// --from and --pipeline: the version a source holds now, to print or to write to --output.
void run_source(const VersionOptions& options) {
  const auto version = options.source.given()
                           ? read_version_from(options.source)
                           : pipeline::resolve_version(pipeline::load(options.pipeline)).canonical;
  if (options.output.empty()) {
    fmt::print("{}\n", version);
  } else {
    pipeline::write_version_if_changed(options.output, version);
  }
}

void run_pep440(const VersionOptions& options) {
  if (options.normalize.given()) {
    fmt::print("{}\n", version::normalize(options.normalize.values.at(0)));
  } else if (options.check.given()) {
    version::parse(options.check.values.at(0));
  } else if (options.compare.given()) {
    const auto a = version::parse(options.compare.values.at(0));
    const auto b = version::parse(options.compare.values.at(1));
    fmt::print("{}\n", version::compare(a, b));
  } else if (options.bump.given()) {
    const auto parts = version::parse_bump_parts(options.bump.values.at(0));
    fmt::print("{}\n",
               version::to_string(version::bump(version::parse(options.bump.values.at(1)), parts)));
  } else {
    fmt::print("{}\n", version::docker_tag(version::parse(options.docker_tag.values.at(0))));
  }
}

// --semver allows only --normalize, --check and --compare (CLI11 enforces it).
void run_semver(const VersionOptions& options) {
  if (options.normalize.given()) {
    fmt::print("{}\n", version::to_string(version::to_semver(options.normalize.values.at(0))));
  } else if (options.check.given()) {
    version::parse_semver(options.check.values.at(0));
  } else {
    const auto a = version::parse_semver(options.compare.values.at(0));
    const auto b = version::parse_semver(options.compare.values.at(1));
    fmt::print("{}\n", version::compare(a, b));
  }
}

CLI::Option* add_action(CLI::Option_group& group, Action& action, const std::string& name,
                        const std::string& value_names, const std::string& description) {
  // option_text, not type_name: CLI11 would show two values as "V x 2".
  action.option =
      group.add_option(name, action.values, description)->option_text(value_names)->expected(1);
  return action.option;
}

}  // namespace

Command add_version_command(CLI::App& parent) {
  auto options = std::make_shared<VersionOptions>();
  auto* app = parent.add_subcommand(
      "version", "Normalize, check, compare and bump PEP 440 (or SemVer) versions");
  app->footer(
      "Versions are read as PEP 440 (and Python's packaging) reads them: 'v1.0-BETA.1' is 1.0b1.\n"
      "An invalid version is an error (exit status 1) naming the offending character.\n"
      "\n"
      "--bump PARTS V: PARTS is one part or several joined by commas, applied in turn, as in\n"
      "'hatch version'. Parts after the bumped one are dropped; the release keeps its length.\n"
      "  release  1.3.0rc1 -> 1.3.0        major  1.2.3 -> 2.0.0\n"
      "  minor    1.2.3 -> 1.3.0           patch  1.2 -> 1.2.1, 1.3.0rc1 -> 1.3.1 (alias micro)\n"
      "  alpha, beta, rc  next of that phase or its 0: 1.0a1 -> 1.0a2 (alpha), -> 1.0b0 (beta)\n"
      "  pre      next of the current phase: 1.0rc1 -> 1.0rc2; 'minor,pre' 1.0 -> 1.1a0\n"
      "  post     1.0 -> 1.0.post0, 1.0.post0 -> 1.0.post1\n"
      "  dev      1.0.dev1 -> 1.0.dev2; 'patch,dev' 1.0 -> 1.0.1.dev0\n"
      "The result must sort after V: '--bump dev 1.0' (1.0.dev0) is an error.\n"
      "\n"
      "--from git: the version of the current directory's repository as setuptools-scm's\n"
      "default scheme gives it: 1.2.3 on the tag v1.2.3; 1.2.4.dev4+g1a2b3c4d5 four commits\n"
      "past it; .dYYYYMMDD added when tracked files changed (--no-local drops the + part).\n"
      "No version tag, or a shallow clone without one, is an error saying what to do.\n"
      "\n"
      "--semver: versions are Semantic Versioning 2.0.0, strictly (no 'v', no leading zeros);\n"
      "--compare uses SemVer precedence (build metadata ignored). --normalize also takes a PEP\n"
      "440 version and converts it: 1.2rc1 -> 1.2.0-rc.1, a/b -> alpha/beta, +local -> +build;\n"
      "epochs, post- and dev releases have no SemVer equivalent and are errors.");
  auto* actions = app->add_option_group("action", "What to do (exactly one)");
  add_action(*actions, options->normalize, "--normalize", "V",
             "Print the canonical form of a version");
  add_action(*actions, options->check, "--check", "V", "Exit 0, silently, if a version is valid");
  add_action(*actions, options->compare, "--compare", "A B",
             "Print -1, 0 or 1 as the first version sorts before, with or after the second")
      ->expected(2);
  auto* docker_tag =
      add_action(*actions, options->docker_tag, "--docker-tag", "V",
                 "Print the version as an image tag ('+' becomes '-', '!' becomes '_')");
  auto* bump = add_action(*actions, options->bump, "--bump", "PARTS V",
                          "Print the next version: PARTS is release, major, minor, patch, alpha, "
                          "beta, rc, pre, post or dev, or several joined by commas")
                   ->expected(2);
  auto* from = add_version_source_options(*app, options->source, actions);
  options->pipeline_option = add_pipeline_option(*actions, options->pipeline, false);
  options->pipeline_option->description(
      "Print the version of this pipeline (add_docker_pipeline()'s <name>.pipeline.json) now");
  actions->require_option(1);
  app->add_flag("--semver", options->semver,
                "Read versions as SemVer 2.0.0 (with --normalize, --check or --compare)")
      ->excludes(docker_tag)
      ->excludes(bump)
      ->excludes(from)
      ->excludes(options->pipeline_option);
  app->add_option("-o,--output", options->output,
                  "With --from or --pipeline: write the version to this file, only when it "
                  "differs from what the file holds (so build steps depending on it rerun only "
                  "then)")
      ->type_name("FILE");
  return {app, [options] {
            if (options->source.given() || options->pipeline_option->count() > 0) {
              run_source(*options);
            } else if (!options->output.empty()) {
              throw std::invalid_argument("--output applies to --from and --pipeline");
            } else if (options->semver) {
              run_semver(*options);
            } else {
              run_pep440(*options);
            }
            return 0;
          }};
}

}  // namespace dp::cli
