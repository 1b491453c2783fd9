#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "pypi/distribution.hpp"
#include "pypi/http_upload.hpp"
#include "pypi/repository.hpp"

namespace dp::pypi {

struct UploadSettings {
  bool skip_existing = false;
  std::optional<std::string> comment;
  int max_attempts = 5;  // as twine: a 5xx or a refused connection is tried again
  std::chrono::milliseconds retry_delay{1000};
  HttpOptions http;
  std::function<void(std::string_view)> log;  // --verbose lines; may be empty
};

enum class UploadOutcome { uploaded, skipped, failed };

struct UploadResult {
  UploadOutcome outcome = UploadOutcome::failed;
  HttpResponse response;
  int attempts = 0;
  std::uintmax_t size = 0;  // bytes of the file
  std::string detail;  // for skipped/failed: "HTTP 409 Conflict: <excerpt>", redirects' Location
};

// twine's rule: with --skip-existing, 409 (pypiserver) and 400 mentioning "already exist"
// (PyPI) mean the file is there already.
bool is_already_existing(const HttpResponse& response);

// The response as one line: "HTTP 409 Conflict: <response_excerpt of the body>".
std::string describe_response(const HttpResponse& response);

// Hashes and uploads one distribution (retrying like twine), and says what happened.
// Throws TransportError when the index cannot be reached after the retries.
UploadResult upload_distribution(const ResolvedRepository& repository,
                                 const Distribution& distribution, const UploadSettings& settings);

}  // namespace dp::pypi
