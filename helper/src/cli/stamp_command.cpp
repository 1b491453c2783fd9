#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/version_source_options.hpp"
#include "stamp/file_io.hpp"
#include "stamp/line_diff.hpp"
#include "stamp/plan.hpp"
#include "version/pep440.hpp"

namespace dp::cli {
namespace {

namespace fs = std::filesystem;

struct StampOptions {
  std::string version;
  VersionSourceOptions source;
  std::optional<std::string> pattern;
  bool dry_run = false;
  std::vector<fs::path> files;
};

int run_stamp(const StampOptions& options) {
  const auto version = options.source.given() ? read_version_from(options.source)
                                              : version::normalize(options.version);

  // Every file is stamped in memory first, so one that cannot be leaves all of them untouched.
  const auto plan = stamp::plan_stamp(
      options.files, {version, options.pattern, std::nullopt, std::nullopt}, stamp::disk_reader());

  for (const auto& edit : plan.edits) {
    const auto name = edit.path.string();
    const auto note = stamp::reader_note(edit);
    if (!edit.changes()) {
      fmt::print("{}: already {} {}\n", name, edit.new_version, note);
    } else if (options.dry_run) {
      fmt::print("{}: would stamp {} -> {} {}\n{}", name, edit.old_version, edit.new_version, note,
                 stamp::line_diff(name, edit.before, edit.after));
    } else {
      stamp::write_file_atomically(edit.path, edit.after);
      fmt::print("{}: stamped {} -> {} {}\n", name, edit.old_version, edit.new_version, note);
    }
  }
  return 0;
}

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
      ->add_option("--version", options->version,
                   "Version to write, normalized (PEP 440) first; invalid is an error")
      ->type_name("V");
  add_version_source_options(*app, options->source, sources);
  sources->require_option(1);
  app->add_option("--pattern", options->pattern,
                  "Stamp where this regex's one capture group matches, whatever the kind of file")
      ->type_name("REGEX");
  app->add_flag("-n,--dry-run", options->dry_run, "Show what would change; write nothing");
  app->add_option("FILE", options->files, "Files to stamp")->required()->type_name("PATH");
  return {app, [options] { return run_stamp(*options); }};
}

}  // namespace dp::cli
