#include "stages/publish/check_stage.hpp"

#include <fmt/core.h>

#include "digest/file_digests.hpp"
#include "process/environment.hpp"
#include "pypi/check/attestation_check.hpp"
#include "pypi/check/dist_check.hpp"
#include "pypi/check/release_versions.hpp"
#include "pypi/check/wheel_tags_check.hpp"
#include "pypi/config/repository.hpp"
#include "pypi/dist/dist_files.hpp"
#include "pypi/errors.hpp"
#include "stages/publish/release.hpp"
#include "text/file.hpp"

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

// Whether the dists go to PyPI or TestPyPI, as upload would resolve the pipeline's REPOSITORY
// (and TWINE_REPOSITORY_URL, TWINE_REPOSITORY); false when that cannot be told without upload's
// own options.
bool goes_to_pypi(const std::optional<Release>& release) {
  if (!release) return false;
  pypi::RepositoryOptions options;
  pypi::apply_pipeline_repository(options, release->pipeline.repository);
  try {
    return pypi::is_pypi(pypi::repository_url(options, process::process_environment()));
  } catch (const pypi::ConfigurationError&) {
    return false;
  }
}

}  // namespace

int run_check_stage(const CheckOptions& options, Reporter& reporter) {
  const auto release = load_release(options.pipeline);
  std::optional<std::filesystem::path> dist_folder;
  if (release) dist_folder = release->pipeline.dist_out_dir();
  const bool to_pypi = goes_to_pypi(release);
  bool all_passed = true;
  for (const auto& file : pypi::select_dist_files(options.files, dist_folder)) {
    auto report = pypi::check_distribution(file);
    // An error where the upload goes to PyPI or TestPyPI, which refuse it; other indexes take it.
    if (auto problem = pypi::refused_platform_problem(file.filename().string()); !problem.empty()) {
      (to_pypi ? report.errors : report.warnings).push_back(std::move(problem));
    }
    if (release && report.distribution) {
      if (auto mismatch = pypi::release_version_mismatch(*report.distribution, release->version)) {
        report.errors.push_back(std::move(*mismatch));
      }
    }
    // A PEP 740 attestation beside the dist must be one of this file (upload sends it with it).
    if (const auto attestation = pypi::attestation_file_of(file);
        std::filesystem::exists(attestation)) {
      try {
        report.append(pypi::check_attestation_file(attestation, file.filename().string(),
                                                   digest::compute_file_digests(file).sha256));
      } catch (const text::FileError& error) {
        report.errors.push_back(error.what());
      }
    }
    print_report(report, options.strict, reporter);
    all_passed = all_passed && report.passed(options.strict);
  }
  return all_passed ? 0 : 1;
}

}  // namespace dp::stages
