#include "pypi/upload/upload_run.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "process/interrupts.hpp"
#include "process/parallel.hpp"
#include "pypi/upload/journal.hpp"
#include "pypi/upload/pending_digests.hpp"

namespace dp::pypi {
namespace {

using Clock = std::chrono::steady_clock;

class Run {
 public:
  Run(const ResolvedRepository& repository, const std::vector<Distribution>& distributions,
      const RunSettings& settings, const RunHooks& hooks)
      : repository_(repository),
        distributions_(distributions),
        settings_(settings),
        hooks_(hooks),
        credentials_(repository) {
    if (!settings.journal) return;
    for (const auto& distribution : distributions) {
      const auto folder = distribution.path.parent_path().empty() ? std::filesystem::path{"."}
                                                                  : distribution.path.parent_path();
      if (!journals_.contains(folder)) {
        journals_.emplace(folder, std::make_unique<UploadJournal>(folder));
      }
    }
  }

  RunSummary run() {
    RunSummary summary;
    const std::size_t count = distributions_.size();
    summary.results.resize(count);
    std::vector<char> finished(count, 0);  // not vector<bool>: threads write their own elements
    int interrupted_by = 0;
    // Wheels first, then sdists, each group at `jobs` files at once; an sdist is sent only when
    // every wheel is on the index, so an index that shows the sdist has every wheel.
    std::vector<std::size_t> wheels;
    std::vector<std::size_t> others;
    for (std::size_t i = 0; i < count; ++i) {
      (distributions_[i].kind == DistKind::wheel ? wheels : others).push_back(i);
    }
    const auto upload = [&](std::size_t i) {
      summary.results[i] = upload_one(distributions_[i]);
      finished[i] = 1;
      if (hooks_.on_result) hooks_.on_result(distributions_[i], summary.results[i]);
    };
    // The run's first file goes alone: an index makes a project it does not have yet with its
    // first upload, and several first uploads at once would race to make it.
    bool first = true;
    const auto upload_group = [&](const std::vector<std::size_t>& group) {
      try {
        std::size_t alone = 0;
        if (first && !group.empty()) {
          upload(group.front());
          alone = 1;
          first = false;
        }
        process::run_parallel(group.size() - alone, settings_.jobs,
                              [&](std::size_t g) { upload(group[alone + g]); });
      } catch (const process::Interrupted& interruption) {
        interrupted_by = interruption.signal();
      }
    };
    upload_group(wheels);
    const bool wheels_failed = std::any_of(wheels.begin(), wheels.end(), [&](std::size_t i) {
      return !finished[i] || summary.results[i].outcome == UploadOutcome::failed;
    });
    if (wheels_failed && !interrupted_by && !others.empty() && hooks_.warn) {
      hooks_.warn(
          "a wheel was not uploaded: the sdist is not sent, so that the index never shows "
          "an sdist without its wheels; run the upload again");
    }
    if (!wheels_failed && !interrupted_by) upload_group(others);

    summary.interrupted_by = interrupted_by;
    for (std::size_t i = 0; i < count; ++i) {
      if (!finished[i]) {
        ++summary.unfinished;
        continue;
      }
      switch (summary.results[i].outcome) {
        case UploadOutcome::uploaded:
          ++summary.uploaded;
          break;
        case UploadOutcome::skipped:
          ++summary.skipped;
          break;
        case UploadOutcome::failed:
          ++summary.failed;
          summary.failed_files.push_back(distributions_[i].path.filename().string());
          break;
      }
    }
    if (settings_.verify && summary.interrupted_by == 0) {
      try {
        summary.verify_failures = verify(summary.results);
      } catch (const process::Interrupted& interruption) {
        summary.interrupted_by = interruption.signal();
      }
    }
    if (settings_.upload.index != nullptr) {
      if (const auto notice = settings_.upload.index->take_notice(); !notice.empty()) warn(notice);
    }
    return summary;
  }

 private:
  // Throws process::Interrupted, and journals nothing, when an interrupting signal arrives
  // before the file has an outcome.
  UploadResult upload_one(const Distribution& distribution) {
    const auto start = Clock::now();
    const std::string file_name = distribution.path.filename().string();
    UploadResult result;
    try {
      // A file sent with an attestation was hashed to check it: not again.
      const auto attested = settings_.upload.attested.find(distribution.path);
      const PendingDigests digests = attested == settings_.upload.attested.end()
                                         ? PendingDigests{distribution.path}
                                         : PendingDigests{attested->second.digests};
      UploadJournal* journal = journal_of(distribution);
      if (journal != nullptr && settled_by_journal(*journal, distribution, digests, result)) {
        result.elapsed = Clock::now() - start;
        return result;
      }
      const ProgressCallback progress =
          hooks_.progress_for ? hooks_.progress_for(distribution) : ProgressCallback{};
      const auto credentials = current_credentials();
      result = upload_distribution(credentials, distribution, digests, settings_.upload, progress);
      const auto status = result.response.status;
      if (result.outcome == UploadOutcome::failed && (status == 401 || status == 403)) {
        if (const auto renewed = renewed_credentials(credentials, status)) {
          result = upload_distribution(*renewed, distribution, digests, settings_.upload, progress);
        }
      }
      if (journal != nullptr) record(*journal, file_name, result);
    } catch (const process::Interrupted&) {
      throw;
    } catch (const std::exception& error) {
      result.outcome = UploadOutcome::failed;
      result.detail = error.what();
    }
    result.elapsed = Clock::now() - start;
    return result;
  }

  ResolvedRepository current_credentials() {
    std::lock_guard lock{credentials_mutex_};
    return credentials_;
  }

  // After the index refused `used`: the credentials another file renewed meanwhile, or new ones
  // (once per run); nothing when they cannot be renewed.
  std::optional<ResolvedRepository> renewed_credentials(const ResolvedRepository& used,
                                                        long status) {
    std::lock_guard lock{credentials_mutex_};
    if (credentials_.password != used.password) return credentials_;
    if (renewed_ || !settings_.renew_password) return std::nullopt;
    renewed_ = true;
    warn(fmt::format("the index refused the credentials ({}): renewing them and sending again",
                     status));
    credentials_.password = settings_.renew_password();
    return credentials_;
  }

  UploadJournal* journal_of(const Distribution& distribution) const {
    const auto folder = distribution.path.parent_path().empty() ? std::filesystem::path{"."}
                                                                : distribution.path.parent_path();
    const auto found = journals_.find(folder);
    return found == journals_.end() ? nullptr : found->second.get();
  }

  // A file the journal has as uploaded here with this sha256 is not sent again, unless the
  // index answers and does not list it.
  bool settled_by_journal(const UploadJournal& journal, const Distribution& distribution,
                          const PendingDigests& pending, UploadResult& result) const {
    const std::string file_name = distribution.path.filename().string();
    const auto entry = journal.find(file_name, repository_.url);
    if (!entry || entry->outcome != "uploaded") return false;
    const digest::FileDigests& digests = pending.get();
    if (entry->sha256 != digests.sha256) return false;
    result.size = digests.size;
    result.sha256 = digests.sha256;
    if (settings_.upload.index != nullptr) {
      const ProjectListing listing = settings_.upload.index->project(distribution.name());
      const IndexedFile* file = listing.find(file_name);
      if (listing.state != ListingState::unavailable && file == nullptr) {
        warn(
            fmt::format("{}: the journal says uploaded at {}, but the index does not list it; "
                        "uploading it again",
                        file_name, entry->time));
        return false;
      }
      if (file != nullptr && !file->sha256.empty() && file->sha256 != digests.sha256) {
        result.outcome = UploadOutcome::failed;
        result.detail = different_sha256_message(file_name, file->sha256, digests.sha256);
        return true;
      }
      result.outcome = UploadOutcome::skipped;
      result.detail = file != nullptr ? "uploaded earlier (journal; the index lists it)"
                                      : "uploaded earlier (journal)";
      return true;
    }
    result.outcome = UploadOutcome::skipped;
    result.detail = "uploaded earlier (journal)";
    return true;
  }

  void record(UploadJournal& journal, const std::string& file_name, const UploadResult& result) {
    try {
      journal.record({file_name, std::string{outcome_name(result.outcome)}, result.sha256,
                      result.size, repository_.url, utc_timestamp()});
    } catch (const std::exception& error) {
      std::lock_guard lock{warn_mutex_};
      if (!journal_warned_) warn(error.what());
      journal_warned_ = true;
    }
  }

  std::vector<std::string> verify(const std::vector<UploadResult>& results) const {
    std::vector<std::string> failures;
    SimpleIndex* index = settings_.upload.index;
    std::map<std::string, ProjectListing> listings;
    for (std::size_t i = 0; i < distributions_.size(); ++i) {
      const UploadResult& result = results[i];
      if (result.outcome == UploadOutcome::failed) continue;
      const Distribution& distribution = distributions_[i];
      const std::string file_name = distribution.path.filename().string();
      if (index == nullptr) {
        failures.push_back(fmt::format("{}: cannot verify without a simple index", file_name));
        continue;
      }
      auto found = listings.find(distribution.name());
      if (found == listings.end()) {
        found = listings.emplace(distribution.name(), index->project(distribution.name())).first;
      }
      const ProjectListing& listing = found->second;
      const IndexedFile* file = listing.find(file_name);
      if (listing.state == ListingState::unavailable) {
        failures.push_back(
            fmt::format("{}: cannot verify, no simple index answered ({}); give "
                        "--index-url",
                        file_name, listing.problem));
      } else if (file == nullptr) {
        failures.push_back(
            fmt::format("{}: not listed on {}", file_name, sanitized_url(listing.index_url)));
      } else if (file->sha256 != result.sha256) {
        failures.push_back(fmt::format("{}: {} lists sha256 '{}', but {} was sent", file_name,
                                       sanitized_url(listing.index_url), file->sha256,
                                       result.sha256));
      }
    }
    return failures;
  }

  void warn(const std::string& message) const {
    if (hooks_.warn) hooks_.warn(message);
  }

  const ResolvedRepository& repository_;
  const std::vector<Distribution>& distributions_;
  const RunSettings& settings_;
  const RunHooks& hooks_;
  std::map<std::filesystem::path, std::unique_ptr<UploadJournal>> journals_;
  std::mutex warn_mutex_;
  std::mutex credentials_mutex_;
  ResolvedRepository credentials_;  // what uploads send: repository_'s, or renewed ones
  bool renewed_ = false;
  bool journal_warned_ = false;
};

}  // namespace

RunSummary upload_all(const ResolvedRepository& repository,
                      const std::vector<Distribution>& distributions, const RunSettings& settings,
                      const RunHooks& hooks) {
  return Run{repository, distributions, settings, hooks}.run();
}

}  // namespace dp::pypi
