#include "stages/publish/upload_stage.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <optional>

#include "digest/file_digests.hpp"
#include "process/interrupts.hpp"
#include "pypi/check/release_versions.hpp"
#include "pypi/check/wheel_tags_check.hpp"
#include "pypi/config/pypirc.hpp"
#include "pypi/dist/dist_files.hpp"
#include "pypi/dist/dist_names.hpp"
#include "pypi/errors.hpp"
#include "pypi/upload/upload_lines.hpp"
#include "pypi/upload/upload_run.hpp"
#include "stages/publish/release.hpp"
#include "stages/publish/upload_inputs.hpp"

namespace dp::stages {
namespace {

int dry_run(const pypi::ResolvedRepository& repository,
            const std::vector<pypi::Distribution>& dists, Reporter& reporter) {
  for (const auto& dist : dists) {
    const auto digests = digest::compute_file_digests(dist.path);
    reporter.print(fmt::format(
        "would upload {}: name {}, version {}, filetype {}, {} bytes, sha256 {}, to {} as {}",
        dist.path.filename().string(), dist.name(), dist.version(), dist.filetype, digests.size,
        digests.sha256, repository.url, repository.username));
  }
  reporter.print("nothing was sent");
  return 0;
}

std::string report_of(const pypi::Distribution& dist, const pypi::UploadResult& result) {
  std::string report = pypi::result_line(dist.path.filename().string(), result);
  if (!result.detail.empty()) report += ": " + result.detail;
  if (!result.advice.empty()) report += "\n  " + result.advice;
  return report;
}

pypi::RunHooks run_hooks(Reporter& reporter) {
  pypi::RunHooks hooks;
  hooks.on_result = [&reporter](const pypi::Distribution& dist, const pypi::UploadResult& result) {
    reporter.print(report_of(dist, result));
  };
  hooks.warn = [&reporter](std::string_view text) {
    reporter.log(fmt::format("warning: {}", text));
  };
  if (reporter.shows_progress()) {
    hooks.progress_for = [&reporter](const pypi::Distribution& dist) {
      return
          [&reporter, file = dist.path.filename().string()](
              std::uintmax_t sent, std::uintmax_t total) { reporter.progress(file, sent, total); };
    };
  }
  return hooks;
}

// Where a project's release can be seen: PyPI's and TestPyPI's project pages, else the index's
// simple page of the project.
std::string release_page(const std::string& upload_url, const std::string& simple_url,
                         const pypi::Distribution& dist) {
  if (upload_url.starts_with(pypi::testpypi_upload_url)) {
    return fmt::format("https://test.pypi.org/project/{}/{}/", dist.name(), dist.version());
  }
  if (pypi::is_pypi(upload_url)) {
    return fmt::format("https://pypi.org/project/{}/{}/", dist.name(), dist.version());
  }
  return fmt::format("{}{}{}/", simple_url, simple_url.ends_with('/') ? "" : "/",
                     pypi::normalize_project_name(dist.name()));
}

// The files and their outcomes, for a CI run's summary.
void summarize_upload(const std::vector<pypi::Distribution>& dists, const pypi::RunSummary& summary,
                      const std::string& upload_url, const std::string& simple_url,
                      Reporter& reporter) {
  SummaryTable table{"Uploaded to " + pypi::sanitized_url(upload_url),
                     {"file", "result", "size", "sha256", "where"},
                     {}};
  for (std::size_t i = 0; i < dists.size() && i < summary.results.size(); ++i) {
    const auto& result = summary.results[i];
    const auto page = release_page(upload_url, simple_url, dists[i]);
    table.rows.push_back({dists[i].path.filename().string(),
                          std::string(pypi::outcome_name(result.outcome)),
                          pypi::human_size(result.size), result.sha256.substr(0, 12),
                          result.outcome == pypi::UploadOutcome::failed
                              ? result.detail
                              : fmt::format("[{}]({})", pypi::sanitized_url(page), page)});
  }
  reporter.summarize(table);
}

// The run's outcome in its summary lines; failures and an interrupt are thrown after them.
int report_summary(const pypi::RunSummary& summary, std::size_t files, bool verify,
                   Reporter& reporter) {
  if (summary.interrupted_by != 0) {
    reporter.print(fmt::format("{} uploaded, {} skipped, {} failed, {} not finished (interrupted)",
                               summary.uploaded, summary.skipped, summary.failed,
                               summary.unfinished));
    throw process::Interrupted(summary.interrupted_by);
  }
  for (const auto& failure : summary.verify_failures) reporter.print("verify failed: " + failure);
  if (verify && summary.verify_failures.empty()) {
    reporter.print("verified: the index lists every file with the sha256 sent");
  }
  reporter.print(fmt::format(
      "{} uploaded, {} skipped, {} failed{}", summary.uploaded, summary.skipped, summary.failed,
      summary.unfinished == 0
          ? ""
          : fmt::format(", {} not sent (after a failed wheel)", summary.unfinished)));
  if (summary.failed > 0) {
    throw pypi::UploadError(fmt::format("{} of {} files failed: {}", summary.failed, files,
                                        fmt::join(summary.failed_files, ", ")));
  }
  if (!summary.verify_failures.empty()) {
    throw pypi::UploadError(fmt::format("--verify: {} file(s) not confirmed on the index",
                                        summary.verify_failures.size()));
  }
  return 0;
}

}  // namespace

int run_upload_stage(const UploadOptions& options, const process::EnvironmentLookup& environment,
                     Reporter& reporter, const IndexConnection* given_connection) {
  bool skip_existing = options.skip_existing;
  bool verify = options.verify;
  bool attestations = options.attestations;
  const auto release = load_release(options.pipeline);
  std::optional<std::filesystem::path> dist_folder;
  if (release) {
    dist_folder = release->pipeline.dist_out_dir();
    skip_existing = skip_existing || release->pipeline.skip_existing;
    verify = verify || release->pipeline.verify;
    attestations = attestations || release->pipeline.attestations;
  }
  const auto connection =
      given_connection != nullptr
          ? *given_connection
          : connect_index(options, release ? &release->pipeline : nullptr, environment, reporter);
  const auto& repository = connection.repository;
  const auto dists = inspected_dists(pypi::select_dist_files(options.files, dist_folder), reporter);
  if (release) pypi::require_release_version(dists, release->version);
  pypi::require_publishable_versions(dists, repository.url, options.allow_local_version);
  pypi::require_index_platforms(dists, repository.url);
  auto attested = attested_dists(dists, attestations);
  if (options.dry_run) return dry_run(repository, dists, reporter);

  pypi::RunSettings settings;
  settings.jobs = options.jobs;
  settings.verify = verify;
  settings.journal = !options.no_journal;
  settings.renew_password = connection.renew_password;
  pypi::UploadSettings& upload = settings.upload;
  upload.skip_existing = skip_existing;
  if (!options.comment.empty()) upload.comment = options.comment;
  upload.retry.retries = options.retries;
  upload.http = connection.http;
  upload.attested = std::move(attested);
  const auto candidates = simple_index_urls(connection, options.index_url);
  auto index = simple_index(connection, candidates);
  upload.index = &index;
  if (options.verbose) {
    upload.log = [&reporter](std::string_view line) { reporter.log(fmt::format("  {}", line)); };
  }

  reporter.print(fmt::format("Uploading distributions to {}", repository.url));
  if (options.verbose) {
    reporter.log(fmt::format(
        "  repository: {}\n  username: {} (from {})\n  password: <hidden> (from {})\n  simple "
        "index candidates: {}",
        repository.name.empty() ? "(given by URL)" : repository.name, repository.username,
        repository.username_origin, repository.password_origin, fmt::join(candidates, ", ")));
  }
  const auto summary = pypi::upload_all(repository, dists, settings, run_hooks(reporter));
  summarize_upload(dists, summary, repository.url, candidates.front(), reporter);
  return report_summary(summary, dists.size(), verify, reporter);
}

}  // namespace dp::stages
