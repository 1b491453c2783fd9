#include "pypi/uploader.hpp"

#include <fmt/core.h>

#include <cctype>
#include <thread>

#include "pypi/file_digests.hpp"
#include "pypi/response_excerpt.hpp"
#include "pypi/upload_form.hpp"

namespace dp::pypi {
namespace {

std::string lowercase(std::string_view text) {
  std::string result{text};
  for (auto& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

void log(const UploadSettings& settings, std::string_view line) {
  if (settings.log) settings.log(line);
}

}  // namespace

bool is_already_existing(const HttpResponse& response) {
  if (response.status == 409) return true;
  return response.status == 400 &&
         (lowercase(response.reason).find("already exist") != std::string::npos ||
          lowercase(response.body).find("already exist") != std::string::npos);
}

std::string describe_response(const HttpResponse& response) {
  std::string description = fmt::format("HTTP {}", response.status);
  if (!response.reason.empty()) description += " " + response.reason;
  if (const auto text = response_excerpt(response.body); !text.empty()) description += ": " + text;
  return description;
}

UploadResult upload_distribution(const ResolvedRepository& repository,
                                 const Distribution& distribution, const UploadSettings& settings) {
  const FileDigests digests = compute_file_digests(distribution.path);
  const auto fields = upload_form_fields(distribution, digests, settings.comment);
  const std::string file_name = distribution.path.filename().string();

  UploadResult result;
  result.size = digests.size;
  while (true) {
    ++result.attempts;
    try {
      result.response = post_upload(repository, fields, distribution.path, settings.http);
    } catch (const TransportError& error) {
      if (!error.could_not_connect()) throw;
      if (result.attempts >= settings.max_attempts) {
        throw TransportError(fmt::format("{} (after {} attempts)", error.what(), result.attempts),
                             true);
      }
      log(settings, fmt::format("{}: {}; retry {} of {}", file_name, error.what(), result.attempts,
                                settings.max_attempts - 1));
      std::this_thread::sleep_for(settings.retry_delay);
      continue;
    }
    const HttpResponse& response = result.response;
    log(settings, fmt::format("{}: {} answered HTTP {} {}", file_name, repository.url,
                              response.status, response.reason));
    if (response.status >= 500 && response.status < 600 &&
        result.attempts < settings.max_attempts) {
      log(settings, fmt::format("{}: the upload appears to have failed; retry {} of {}", file_name,
                                result.attempts, settings.max_attempts - 1));
      std::this_thread::sleep_for(settings.retry_delay);
      continue;
    }
    break;
  }

  const HttpResponse& response = result.response;
  if (response.is_redirect()) {
    // twine aborts on redirects: an upload must not silently go elsewhere.
    result.outcome = UploadOutcome::failed;
    result.detail = fmt::format(
        "HTTP {} {}: the index redirects to {}; uploads never follow redirects, use that URL as "
        "the repository URL if it is right",
        response.status, response.reason,
        response.location.empty() ? "(no Location)" : response.location);
  } else if (response.is_success()) {
    result.outcome = UploadOutcome::uploaded;
  } else if (settings.skip_existing && is_already_existing(response)) {
    result.outcome = UploadOutcome::skipped;
    result.detail = fmt::format("HTTP {} {}", response.status, response.reason);
  } else {
    result.outcome = UploadOutcome::failed;
    result.detail = describe_response(response);
    if (result.attempts > 1) result.detail += fmt::format(" (after {} attempts)", result.attempts);
  }
  return result;
}

}  // namespace dp::pypi
