#include "stages/test/test_results.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <filesystem>

#include "reports/junit_summary.hpp"
#include "stages/test/test_outputs.hpp"

namespace dp::stages {

namespace fs = std::filesystem;

std::vector<std::string> collect_artifacts(docker::Container& container,
                                           const pipeline::Pipeline& p, Reporter& reporter) {
  if (p.artifacts.empty()) {
    fs::remove_all(p.artifacts_out_dir());
    return {};
  }
  const auto copied = docker::copy_artifacts(container, p.artifacts, p.artifacts_out_dir());
  for (const auto& warning : copied.warnings) reporter.warn(warning);
  reporter.say(fmt::format("copied {} of {} artifact path{} to {}", copied.names.size(),
                           p.artifacts.size(), p.artifacts.size() == 1 ? "" : "s",
                           p.artifacts_out_dir().string()));
  const auto reports = docker::summarize_junit_reports(p.artifacts_out_dir());
  for (const auto& warning : reports.warnings) reporter.warn(warning);
  if (!reports.files.empty()) {
    reporter.say(fmt::format("{} (JUnit: {})", docker::format_junit_summary(reports.summary),
                             fmt::join(reports.files, ", ")));
  }
  return copied.names;
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
