#include "stages/publish/check_stage.hpp"

#include <fmt/core.h>

#include "pypi/check/dist_check.hpp"
#include "pypi/check/release_versions.hpp"
#include "pypi/dist/dist_files.hpp"
#include "stages/publish/release.hpp"

namespace dp::stages {
namespace {

void print_report(const pypi::CheckReport& report, bool strict, Reporter& reporter) {
  const char* verdict = !report.passed(strict)    ? "FAILED"
                        : report.warnings.empty() ? "PASSED"
                                                  : "PASSED with warnings";
  reporter.print(fmt::format("Checking {}: {}", report.file.string(), verdict));
  for (const auto& error : report.errors) reporter.print(fmt::format("  ERROR   {}", error));
  for (const auto& warning : report.warnings) reporter.print(fmt::format("  WARNING {}", warning));
}

}  // namespace

int run_check_stage(const CheckOptions& options, Reporter& reporter) {
  const auto release = load_release(options.pipeline);
  std::optional<std::filesystem::path> dist_folder;
  if (release) dist_folder = release->pipeline.dist_out_dir();
  bool all_passed = true;
  for (const auto& file : pypi::select_dist_files(options.files, dist_folder)) {
    auto report = pypi::check_distribution(file);
    if (release && report.distribution) {
      if (auto mismatch = pypi::release_version_mismatch(*report.distribution, release->version)) {
        report.errors.push_back(std::move(*mismatch));
      }
    }
    print_report(report, options.strict, reporter);
    all_passed = all_passed && report.passed(options.strict);
  }
  return all_passed ? 0 : 1;
}

}  // namespace dp::stages
