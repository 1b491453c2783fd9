#include "pypi/upload/uploader.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <ctime>

#include "pypi/upload/index_answers.hpp"
#include "pypi/upload/upload_form.hpp"

namespace dp::pypi {
namespace {

using Clock = std::chrono::steady_clock;

void log(const UploadSettings& settings, std::string_view line) {
  if (settings.log) settings.log(line);
}

// Is the file on the index with this sha256? Nothing when the index cannot tell.
std::optional<bool> index_has(const UploadSettings& settings, const Distribution& distribution,
                              const std::string& file_name, const std::string& sha256) {
  if (settings.index == nullptr) return std::nullopt;
  const ProjectListing listing = settings.index->project(distribution.name());
  if (listing.state == ListingState::unavailable) return std::nullopt;
  const IndexedFile* file = listing.find(file_name);
  return file != nullptr && file->sha256 == sha256;
}

// The digest fields go after the content, so the file is hashed while it is being sent.
std::vector<DeferredField> digests_after_content(const PendingDigests& digests) {
  std::vector<DeferredField> fields;
  for (const auto& digest : kDigestFields) {
    fields.push_back({std::string{digest.name}, digest.length,
                      [&digests, value = digest.value] { return digests.get().*value; }});
  }
  return fields;
}

class Attempts {
 public:
  Attempts(const ResolvedRepository& repository, const Distribution& distribution,
           const PendingDigests& digests, const UploadSettings& settings,
           const ProgressCallback& progress)
      : repository_(repository),
        distribution_(distribution),
        digests_(digests),
        settings_(settings),
        progress_(progress),
        file_name_(distribution.path.filename().string()),
        fields_(upload_form_fields(distribution, settings.comment)),
        deferred_(digests_after_content(digests)) {
    if (const auto found = settings.attested.find(distribution.path);
        found != settings.attested.end()) {
      add_attestations_field(fields_, found->second.attestations);
    }
  }

  void run(UploadResult& result) {
    bool answer_lost = false;  // some attempt may have arrived without us hearing back
    int timeouts = 0;
    for (int retry = 0;; ++retry) {
      ++result.attempts;
      std::optional<std::chrono::milliseconds> retry_after;
      bool lost_now = false;
      bool timed_out_now = false;
      std::string what_happened;
      try {
        result.response = post_upload(repository_, fields_, distribution_.path, deferred_,
                                      settings_.http, progress_);
        result.bytes_sent = result.response.bytes_sent;
        const HttpResponse& response = result.response;
        log(settings_, fmt::format("{}: {} answered HTTP {} {}", file_name_, repository_.url,
                                   response.status, response.reason));
        if (conclude(response, answer_lost, result)) return;
        if (response.status == 429 || response.status == 503) {
          retry_after = parse_retry_after(response.retry_after, std::time(nullptr));
        }
        lost_now = response.status >= 500 && response.bytes_sent > 0;
        what_happened = describe_response(response);
      } catch (const TransportError& error) {
        result.response = {};
        if (error.timed_out()) ++timeouts;
        if (!error.retryable() || retry >= settings_.retry.retries ||
            timeouts > settings_.retry.timeout_retries) {
          fail(result, error.what(), retry > 0);
          if (timeouts > 0 || given_up()) result.advice = timeout_advice();
          return;
        }
        lost_now = error.failure() == TransportFailure::answer_lost;
        timed_out_now = error.timed_out();
        what_happened = error.what();
      }
      if (retry >= settings_.retry.retries) {
        fail(result, describe_response(result.response), true);
        return;
      }
      if (lost_now) {
        answer_lost = true;
        if (index_has(settings_, distribution_, file_name_, digests_.get().sha256) == true) {
          result.outcome = UploadOutcome::uploaded;
          result.detail = "the answer was lost, but the index lists the file with its sha256";
          return;
        }
      }
      // The lookup may have found the index silent too: then no retry would be sent. (What the
      // last request ended with is said already when it timed out like this one.)
      if (const auto reason = given_up(!timed_out_now)) {
        fail(result, fmt::format("{}; not tried again: {}", what_happened, *reason), retry > 0);
        result.advice = timeout_advice();
        return;
      }
      const auto delay = settings_.retry.delay_before(retry + 1, retry_after);
      log(settings_,
          fmt::format("{}: {}; retry {} of {} in {:.1f} s", file_name_, what_happened, retry + 1,
                      settings_.retry.retries, std::chrono::duration<double>(delay).count()));
      settings_.retry.wait(delay);
    }
  }

 private:
  // Settles the result from a final answer; false when the answer is worth another try.
  bool conclude(const HttpResponse& response, bool answer_lost, UploadResult& result) const {
    if (response.is_success()) {
      result.outcome = UploadOutcome::uploaded;
      // Taken as stored, as twine takes it; but an error page is worth saying.
      if (const auto page = error_page_in_success(response)) {
        result.detail = fmt::format(
            "the index answered HTTP {} with what reads as an error page ({}); it may not have "
            "stored the file: --verify checks",
            response.status, *page);
      }
      return true;
    }
    if (response.is_redirect()) {
      fail(result,
           fmt::format("HTTP {} {}: {}", response.status, response.reason,
                       redirect_message(response, repository_.url)),
           false);
      return true;
    }
    if (is_already_existing(response)) {
      if (answer_lost &&
          index_has(settings_, distribution_, file_name_, digests_.get().sha256) == true) {
        result.outcome = UploadOutcome::uploaded;
        result.detail = "an attempt whose answer was lost had arrived (the index lists it)";
      } else if (settings_.skip_existing) {
        result.outcome = UploadOutcome::skipped;
        result.detail =
            fmt::format("already on the index ({} {})", response.status, response.reason);
      } else {
        fail(result, describe_response(response), result.attempts > 1);
        result.detail =
            fmt::format("{} already exists on the index ({})", file_name_, result.detail);
      }
      return true;
    }
    if (!is_retryable_status(response.status)) {
      fail(result, describe_response(response), result.attempts > 1);
      return true;
    }
    return false;
  }

  std::optional<std::string> given_up(bool with_last = true) const {
    const auto& silent = settings_.http.silent_indexes;
    return silent ? silent->given_up(repository_.url, with_last) : std::nullopt;
  }

  std::string timeout_advice() const {
    return fmt::format(
        "the index did not answer within --timeout ({} s): check that it is up and reachable; "
        "give a longer --timeout to one that is that slow",
        settings_.http.stall_timeout.count());
  }

  void fail(UploadResult& result, const std::string& detail, bool after_retries) const {
    result.outcome = UploadOutcome::failed;
    result.detail = detail;
    if (after_retries) result.detail += fmt::format(" (after {} attempts)", result.attempts);
    if (result.response.status != 0) result.advice = refusal_advice(result.response, repository_);
  }

  const ResolvedRepository& repository_;
  const Distribution& distribution_;
  const PendingDigests& digests_;
  const UploadSettings& settings_;
  const ProgressCallback& progress_;
  std::string file_name_;
  std::vector<FormField> fields_;
  std::vector<DeferredField> deferred_;
};

// With skip-existing: settles the result from the index alone when it lists the file.
bool settled_by_index(const Distribution& distribution, const PendingDigests& pending,
                      const UploadSettings& settings, UploadResult& result) {
  if (!settings.skip_existing || settings.index == nullptr) return false;
  const std::string file_name = distribution.path.filename().string();
  const ProjectListing listing = settings.index->project(distribution.name());
  if (listing.state == ListingState::unavailable) {
    log(settings, fmt::format("{}: no simple index answered ({})", file_name, listing.problem));
    return false;
  }
  const IndexedFile* file = listing.find(file_name);
  if (file == nullptr || file->sha256.empty()) return false;
  const digest::FileDigests& digests = pending.get();
  if (file->sha256 == digests.sha256) {
    result.outcome = UploadOutcome::skipped;
    result.detail = fmt::format("already on the index with the same sha256 ({})",
                                sanitized_url(listing.index_url));
  } else {
    result.outcome = UploadOutcome::failed;
    result.detail = different_sha256_message(file_name, file->sha256, digests.sha256);
    result.advice = "a released file cannot be replaced: build a new version";
  }
  return true;
}

}  // namespace

std::string_view outcome_name(UploadOutcome outcome) {
  switch (outcome) {
    case UploadOutcome::uploaded:
      return "uploaded";
    case UploadOutcome::skipped:
      return "skipped";
    case UploadOutcome::failed:
      break;
  }
  return "failed";
}

std::string different_sha256_message(std::string_view file, std::string_view theirs,
                                     std::string_view ours) {
  return fmt::format("{} is on the index with a different sha256 ({}) than the local file ({})",
                     file, theirs, ours);
}

std::chrono::milliseconds silent_index_budget(const UploadSettings& settings,
                                              std::uintmax_t largest_file) {
  const HttpOptions& http = settings.http;
  const int waits =
      http.silent_indexes ? http.silent_indexes->limit() : SilentIndexes::default_limit;
  const auto one_wait = std::max<std::chrono::milliseconds>(
      http.connect_timeout, http.stall_timeout + http.answer_wait_per_mib * (largest_file >> 20));
  auto total = one_wait * waits;
  for (int retry = 1; retry < waits; ++retry) total += settings.retry.delay_before(retry, {});
  return total;
}

UploadResult upload_distribution(const ResolvedRepository& repository,
                                 const Distribution& distribution, const PendingDigests& digests,
                                 const UploadSettings& settings, const ProgressCallback& progress) {
  const auto start = Clock::now();
  UploadResult result;
  if (!settled_by_index(distribution, digests, settings, result)) {
    Attempts{repository, distribution, digests, settings, progress}.run(result);
  }
  result.size = digests.get().size;
  result.sha256 = digests.get().sha256;
  result.elapsed = Clock::now() - start;
  return result;
}

UploadResult upload_distribution(const ResolvedRepository& repository,
                                 const Distribution& distribution, const UploadSettings& settings) {
  return upload_distribution(repository, distribution, PendingDigests{distribution.path}, settings);
}

}  // namespace dp::pypi
