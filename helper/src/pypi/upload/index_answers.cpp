#include "pypi/upload/index_answers.hpp"

#include <fmt/core.h>

#include <cctype>
#include <string_view>

#include "pypi/http/response_excerpt.hpp"
#include "text/text.hpp"

namespace dp::pypi {
namespace {

using text::lowercase;

bool says(const HttpResponse& response, std::string_view words) {
  return lowercase(response.reason).find(words) != std::string::npos ||
         lowercase(response.body).find(words) != std::string::npos;
}

}  // namespace

bool is_already_existing(const HttpResponse& response) {
  switch (response.status) {
    case 409:
      return true;
    case 400:
      return says(response, "already exist") || says(response, "does not allow updating assets");
    case 403:
      return says(response, "already exist") || says(response, "overwrite");
    default:
      return false;
  }
}

std::optional<std::string> error_page_in_success(const HttpResponse& response) {
  if (!response.is_success() ||
      lowercase(response.content_type).find("html") == std::string::npos) {
    return std::nullopt;
  }
  const std::string excerpt = response_excerpt(response.body, 120);
  const std::string words = lowercase(excerpt);
  for (const std::string_view error :
       {"error", "bad gateway", "unavailable", "forbidden", "denied", "not found"}) {
    if (words.find(error) != std::string::npos) return excerpt;
  }
  return std::nullopt;
}

std::string describe_response(const HttpResponse& response) {
  std::string description = fmt::format("HTTP {}", response.status);
  if (!response.reason.empty()) description += " " + response.reason;
  if (const auto text = response_excerpt(response.body); !text.empty()) description += ": " + text;
  return description;
}

std::string redirect_message(const HttpResponse& response, const std::string& upload_url) {
  if (response.location.empty()) {
    return fmt::format(
        "the index answered HTTP {} {} without a Location; uploads never follow "
        "redirects",
        response.status, response.reason);
  }
  // The URL without its user part (libcurl keeps the request's in a relative Location's target)
  // and with a final slash.
  const auto plain = [](std::string url) {
    const auto authority = url.find("://");
    const auto at = url.find('@');
    if (authority != std::string::npos && at != std::string::npos &&
        at < url.find('/', authority + 3)) {
      url.erase(authority + 3, at - authority - 2);
    }
    return url.ends_with('/') ? url : url + '/';
  };
  if (plain(response.location) == plain(upload_url)) {
    return fmt::format(
        "a redirect loop: the index redirects the upload to the URL it was sent to, {}; check the "
        "index's (or its proxy's) configuration",
        plain(upload_url));
  }
  std::string message =
      fmt::format("the index redirects to {}; upload to that URL instead (--repository-url {})",
                  response.location, response.location);
  if (upload_url.starts_with("http://") && response.location.starts_with("https://")) {
    message += "; the index wants https instead of http";
  }
  return message;
}

std::string refusal_advice(const HttpResponse& response, const ResolvedRepository& repository) {
  if (is_already_existing(response)) {
    return "the file already exists on the index; --skip-existing skips files the index has "
           "with the same content";
  }
  if (response.status == 401 || response.status == 403) {
    return fmt::format(
        "check the username and password/token; for an API token the username is __token__ "
        "(the index refused user '{}' from {} with the password from {})",
        repository.username, repository.username_origin, repository.password_origin);
  }
  if (response.status == 413) return "the file is larger than the index accepts";
  return "";
}

}  // namespace dp::pypi
