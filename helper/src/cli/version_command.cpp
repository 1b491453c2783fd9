#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/command.hpp"
#include "cli/version_source_options.hpp"
#include "stages/version/version_stage.hpp"

namespace dp::cli {
namespace {

using stages::VersionAction;

// Each action is an option taking the versions it works on as its values; exactly one is given,
// so all share one vector.
struct VersionOptions {
  stages::VersionRequest request;
  std::vector<std::pair<VersionAction, CLI::Option*>> actions;
  VersionSourceOptions source;
};

CLI::Option* add_action(CLI::Option_group& group, VersionOptions& options, VersionAction action,
                        const std::string& name, const std::string& value_names,
                        const std::string& description) {
  // option_text, not type_name: CLI11 would show two values as "V x 2".
  auto* option = group.add_option(name, options.request.values, description)
                     ->option_text(value_names)
                     ->expected(1);
  options.actions.emplace_back(action, option);
  return option;
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
  add_action(*actions, *options, VersionAction::normalize, "--normalize", "V",
             "Print the canonical form of a version");
  add_action(*actions, *options, VersionAction::check, "--check", "V",
             "Exit 0, silently, if a version is valid");
  add_action(*actions, *options, VersionAction::compare, "--compare", "A B",
             "Print -1, 0 or 1 as the first version sorts before, with or after the second")
      ->expected(2);
  auto* docker_tag =
      add_action(*actions, *options, VersionAction::docker_tag, "--docker-tag", "V",
                 "Print the version as an image tag ('+' becomes '-', '!' becomes '_')");
  auto* bump = add_action(*actions, *options, VersionAction::bump, "--bump", "PARTS V",
                          "Print the next version: PARTS is release, major, minor, patch, alpha, "
                          "beta, rc, pre, post or dev, or several joined by commas")
                   ->expected(2);
  auto* from = add_version_source_options(*app, options->source, actions);
  auto* pipeline = add_pipeline_option(*actions, options->request.pipeline, false)
                       ->description(
                           "Print the version of this pipeline (add_docker_pipeline()'s "
                           "<name>.pipeline.json) now");
  actions->require_option(1);
  app->add_flag("--semver", options->request.semver,
                "Read versions as SemVer 2.0.0 (with --normalize, --check or --compare)")
      ->excludes(docker_tag)
      ->excludes(bump)
      ->excludes(from)
      ->excludes(pipeline);
  app->add_option("-o,--output", options->request.output,
                  "With --from or --pipeline: write the version to this file, only when it "
                  "differs from what the file holds (so build steps depending on it rerun only "
                  "then)")
      ->type_name("FILE");
  return {app, [options] {
            auto request = options->request;
            for (const auto& [action, option] : options->actions) {
              if (option->count() > 0) request.action = action;
            }
            if (options->source.given()) request.source = options->source.source;
            console::TerminalReporter reporter{"version"};
            return stages::run_version_stage(request, reporter);
          }};
}

}  // namespace dp::cli
