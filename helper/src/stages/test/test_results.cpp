#include "stages/test/test_results.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <filesystem>

#include "reports/junit_summary.hpp"
#include "stages/test/test_outputs.hpp"

namespace dp::stages {

namespace fs = std::filesystem;

namespace {

// A file a report names, in the sources: a path inside the image (relative to the working
// directory of the tests, or absolute) found under the build context by its longest tail that is
// there; else as the report names it.
std::string source_of(const std::string& file, const fs::path& context) {
  const fs::path path = fs::path(file).relative_path();
  std::vector<fs::path> parts(path.begin(), path.end());
  for (std::size_t first = 0; first < parts.size(); ++first) {
    fs::path tail;
    for (std::size_t i = first; i < parts.size(); ++i) tail /= parts[i];
    std::error_code error;
    if (fs::is_regular_file(context / tail, error)) return (context / tail).string();
  }
  return file;
}

}  // namespace

CollectedArtifacts collect_artifacts(docker::Container& container, const pipeline::Pipeline& p,
                                     const fs::path& folder, Reporter& reporter) {
  const auto& artifacts = p.artifacts;
  if (artifacts.empty()) {
    fs::remove_all(folder);
    return {};
  }
  const auto copied = docker::copy_artifacts(container, artifacts, folder);
  for (const auto& warning : copied.warnings) reporter.warn(warning);
  reporter.say(fmt::format("copied {} of {} artifact path{} to {}", copied.names.size(),
                           artifacts.size(), artifacts.size() == 1 ? "" : "s", folder.string()));
  CollectedArtifacts collected{copied.names, {}};
  const auto reports = docker::summarize_junit_reports(folder);
  for (const auto& warning : reports.warnings) reporter.warn(warning);
  if (!reports.files.empty()) {
    collected.junit = docker::format_junit_summary(reports.summary);
    reporter.say(fmt::format("{} (JUnit: {})", collected.junit, fmt::join(reports.files, ", ")));
  }
  for (const auto& failure : reports.summary.failures) {
    reporter.annotate(
        {failure.file.empty() ? "" : source_of(failure.file, p.context), failure.line,
         fmt::format("{}: {} failed", p.variant.empty() ? p.name : p.variant, failure.name),
         failure.message});
  }
  return collected;
}

std::vector<std::string> collect_dists(docker::Container& container, const pipeline::Pipeline& p,
                                       const std::string& version, Reporter& reporter) {
  const auto selection = docker::copy_dists(container, p.dist_dir, p.dist_out_dir(), version);
  if (!selection.others.empty()) {
    reporter.say(fmt::format("not copied from {} (not an sdist or wheel of {}): {}", p.dist_dir,
                             version, fmt::join(selection.others, ", ")));
  }
  if (selection.dists.empty()) {
    reporter.warn(
        fmt::format("DIST_DIR {} holds no sdist or wheel of version {}", p.dist_dir, version));
    return {};
  }
  reporter.say(fmt::format("copied the dists of {} out of the image to {}", version,
                           p.dist_out_dir().string()));
  for (const auto& name : selection.dists) {
    reporter.say(fmt::format("  {} ({} bytes)", name, fs::file_size(p.dist_out_dir() / name)));
  }
  return selection.dists;
}

}  // namespace dp::stages
