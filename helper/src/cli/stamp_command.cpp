#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "stamp/file_io.hpp"
#include "stamp/line_diff.hpp"
#include "stamp/stamp.hpp"
#include "version/pep440.hpp"

namespace dp::cli {
namespace {

namespace fs = std::filesystem;

struct StampOptions {
  std::string version;
  bool dry_run = false;
  std::vector<fs::path> files;
};

struct StampedFile {
  fs::path path;
  std::string before;
  std::string after;
};

int run_stamp(const StampOptions& options) {
  const auto version = version::normalize(options.version);

  // Every file is stamped in memory first, so one that cannot be leaves all of them untouched.
  std::vector<StampedFile> stamped;
  for (const auto& path : options.files) {
    auto before = stamp::read_file(path);
    auto after = stamp::stamp_content(path, before, version);
    stamped.push_back({path, std::move(before), std::move(after)});
  }

  for (const auto& file : stamped) {
    const auto name = file.path.string();
    if (file.before == file.after) {
      fmt::print("{}: already {}\n", name, version);
    } else if (options.dry_run) {
      fmt::print("{}: would stamp {}\n{}", name, version,
                 stamp::line_diff(name, file.before, file.after));
    } else {
      stamp::write_file_atomically(file.path, file.after);
      fmt::print("{}: stamped {}\n", name, version);
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
      "Only the value changes; quotes, line endings and the rest of the file are kept. A file "
      "without a version field to stamp is an error, and then no file is written.");
  app->add_option("--version", options->version,
                  "Version to write, normalized (PEP 440) first; invalid is an error")
      ->required()
      ->type_name("V");
  app->add_flag("-n,--dry-run", options->dry_run, "Show what would change; write nothing");
  app->add_option("FILE", options->files, "Files to stamp")->required()->type_name("PATH");
  return {app, [options] { return run_stamp(*options); }};
}

}  // namespace dp::cli
