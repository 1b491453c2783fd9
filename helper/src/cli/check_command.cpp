#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/pipeline_option.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/resolved_version.hpp"
#include "pypi/check/dist_check.hpp"
#include "pypi/check/release_versions.hpp"
#include "pypi/dist/dist_files.hpp"

namespace dp::cli {
namespace {

struct CheckArguments {
  std::vector<std::string> files;
  std::filesystem::path pipeline_file;
  bool strict = false;
};

void print_report(const pypi::CheckReport& report, bool strict) {
  const char* verdict = !report.passed(strict)    ? "FAILED"
                        : report.warnings.empty() ? "PASSED"
                                                  : "PASSED with warnings";
  fmt::print("Checking {}: {}\n", report.file.string(), verdict);
  for (const auto& error : report.errors) fmt::print("  ERROR   {}\n", error);
  for (const auto& warning : report.warnings) fmt::print("  WARNING {}\n", warning);
}

int run_check(const CheckArguments& arguments) {
  std::optional<std::filesystem::path> dist_folder;
  std::optional<std::string> release_version;
  if (!arguments.pipeline_file.empty()) {
    const auto pipeline = pipeline::load(arguments.pipeline_file);
    dist_folder = pipeline.dist_out_dir();
    release_version = pipeline::built_version(pipeline).canonical;
  }
  bool all_passed = true;
  for (const auto& file : pypi::select_dist_files(arguments.files, dist_folder)) {
    auto report = pypi::check_distribution(file);
    if (release_version && report.distribution) {
      if (auto mismatch = pypi::release_version_mismatch(*report.distribution, *release_version)) {
        report.errors.push_back(std::move(*mismatch));
      }
    }
    print_report(report, arguments.strict);
    all_passed = all_passed && report.passed(arguments.strict);
  }
  return all_passed ? 0 : 1;
}

}  // namespace

Command add_check_command(CLI::App& parent) {
  auto* app = parent.add_subcommand(
      "check",
      "Validate sdist/wheel files before upload (what twine check does, plus metadata, "
      "names, wheel RECORD and sdist layout)");
  auto arguments = std::make_shared<CheckArguments>();
  app->add_option("files", arguments->files,
                  "Distribution files or glob patterns (dist/*); default: the pipeline's dists");
  app->add_flag("--strict", arguments->strict, "Fail on warnings too");
  add_pipeline_option(*app, arguments->pipeline_file, false);
  app->footer(
      "With --pipeline, every dist must also carry the version the pipeline's image was built "
      "with, in its file name and its metadata.");
  return {app, [arguments] { return run_check(*arguments); }};
}

}  // namespace dp::cli
