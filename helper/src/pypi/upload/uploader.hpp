#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "digest/file_digests.hpp"
#include "pypi/config/repository.hpp"
#include "pypi/dist/distribution.hpp"
#include "pypi/http/http_client.hpp"
#include "pypi/http/retry_policy.hpp"
#include "pypi/index/simple_index.hpp"
#include "pypi/upload/pending_digests.hpp"

namespace dp::pypi {

// A file's PEP 740 attestation, read and checked before anything was sent: the "attestations"
// form field (attestations_field_value) and the digests computed to check it, which the upload
// uses instead of hashing the file again.
struct AttestedFile {
  std::string attestations;
  digest::FileDigests digests;
};

struct UploadSettings {
  bool skip_existing = false;
  std::optional<std::string> comment;
  RetryPolicy retry;
  HttpOptions http;
  // The index's simple API, for skip-existing without sending and for lost answers; may be
  // null (then only the upload's own answer counts).
  SimpleIndex* index = nullptr;
  std::function<void(std::string_view)> log;  // --verbose lines; may be empty
  // The files sent with an attestation, by path.
  std::map<std::filesystem::path, AttestedFile> attested = {};
};

enum class UploadOutcome { uploaded, skipped, failed };

std::string_view outcome_name(UploadOutcome outcome);

struct UploadResult {
  UploadOutcome outcome = UploadOutcome::failed;
  HttpResponse response;  // the last answer, if there was one
  int attempts = 0;       // POSTs made
  std::uintmax_t size = 0;
  std::string sha256;
  std::uintmax_t bytes_sent = 0;  // request body bytes of the last attempt
  std::chrono::duration<double> elapsed{0};
  std::string detail;  // why skipped/failed, or how an uploaded file was confirmed
  std::string advice;  // for failures: what to do, when there is something to say
};

// "<file> is on the index with a different sha256 (<theirs>) than the local file (<ours>)".
std::string different_sha256_message(std::string_view file, std::string_view theirs,
                                     std::string_view ours);

// Uploads one distribution: with skip-existing, asks the simple index first (same sha256:
// skipped, nothing sent; different: failed); retries connection failures, timeouts (fewer
// times), 5xx and 429 with backoff (Retry-After honoured); before retrying after a lost answer
// asks the index whether the file arrived; stops trying once the index is given up (see
// SilentIndexes). Never throws for what the index or network did: see the result. Throws
// process::Interrupted when an interrupting signal arrives while it waits.
UploadResult upload_distribution(const ResolvedRepository& repository,
                                 const Distribution& distribution, const PendingDigests& digests,
                                 const UploadSettings& settings,
                                 const ProgressCallback& progress = {});
UploadResult upload_distribution(const ResolvedRepository& repository,
                                 const Distribution& distribution, const UploadSettings& settings);

// The longest an upload run waits on an index that accepts connections and never answers (or
// never accepts them), whatever the number of files and lookups, when its largest file has
// `largest_file` bytes: the index is given up after SilentIndexes' limit of timed-out requests,
// each ending after the connect or the stall timeout (longer after an upload's body went out),
// with the backoff between them. With the defaults and files under 1 MiB: 2 x 20 s + 1 s.
std::chrono::milliseconds silent_index_budget(const UploadSettings& settings,
                                              std::uintmax_t largest_file = 0);

}  // namespace dp::pypi
