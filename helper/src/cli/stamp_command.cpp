#include <CLI/CLI.hpp>
#include <memory>

#include "cli/command.hpp"
#include "cli/version_source_options.hpp"
#include "stages/stamp/stamp_stage.hpp"

namespace dp::cli {
namespace {

struct StampOptions {
  stages::StampRequest request;
  VersionSourceOptions source;
};

}  // namespace

Command add_stamp_command(CLI::App& parent) {
  auto options = std::make_shared<StampOptions>();
  auto* app = parent.add_subcommand(
      "stamp", "Write a version into setup.py, setup.cfg, pyproject.toml or __init__.py files");
  app->footer(
      "Rewrites the version field in place: setup.py version='...', setup.cfg [metadata] version, "
      "pyproject.toml [project] or [tool.poetry] version, any other *.py __version__ = '...'. "
      "A pyproject.toml with dynamic = [\"version\"] is stamped through the file its build backend "
      "reads the version from (setuptools attr/file, hatch, pdm, flit, scikit-build-core, "
      "maturin's Cargo.toml); a module that imports its __version__ through that module. "
      "The PKG-INFO of each file's project (an unpacked sdist) is stamped too. A version derived "
      "from git (setuptools-scm, hatch-vcs, pdm scm) is an error saying which variable to set, "
      "unless a PKG-INFO holds it, and so is a file such a backend writes as it builds. "
      "Each file prints FILE: stamped OLD -> NEW (read by BACKEND). "
      "Only the value changes; quotes, line endings and the rest of the file are kept. A file "
      "without a version field to stamp is an error, and then no file is written.\n"
      "--pattern REGEX stamps files of any kind instead: an ECMAScript regular expression "
      "(^ and $ match at line ends) with exactly one capture group around the version; the group "
      "is replaced in every match, and a file it does not match is an error.");
  auto* sources = app->add_option_group("version", "The version to write (exactly one)");
  sources
      ->add_option("--version", options->request.version,
                   "Version to write, normalized (PEP 440) first; invalid is an error")
      ->type_name("V");
  add_version_source_options(*app, options->source, sources);
  sources->require_option(1);
  app->add_option("--pattern", options->request.pattern,
                  "Stamp where this regex's one capture group matches, whatever the kind of file")
      ->type_name("REGEX");
  app->add_flag("-n,--dry-run", options->request.dry_run, "Show what would change; write nothing");
  app->add_option("FILE", options->request.files, "Files to stamp")->required()->type_name("PATH");
  return {app, [options] {
            auto request = options->request;
            if (options->source.given()) request.source = options->source.source;
            console::TerminalReporter reporter{"stamp"};
            return stages::run_stamp_stage(request, reporter);
          }};
}

}  // namespace dp::cli
