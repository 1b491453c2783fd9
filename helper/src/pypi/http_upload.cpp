#include "pypi/http_upload.hpp"

#include <curl/curl.h>
#include <fmt/core.h>

#include <memory>
#include <mutex>
#include <string_view>

namespace dp::pypi {
namespace {

constexpr std::size_t max_body_kept = 64 * 1024;

struct EasyCleanup {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct MimeFree {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};
struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using EasyHandle = std::unique_ptr<CURL, EasyCleanup>;
using Mime = std::unique_ptr<curl_mime, MimeFree>;
using HeaderList = std::unique_ptr<curl_slist, SlistFree>;

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw TransportError("libcurl failed to initialize", false);
    }
  });
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Collects the status line's reason and the Location header. A new status line (a proxy's, or
// an interim 1xx) starts over.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& response = *static_cast<HttpResponse*>(user);
  const std::string_view line{data, size * count};
  if (line.starts_with("HTTP/")) {
    response.location.clear();
    const auto code_start = line.find(' ');
    const auto reason_start =
        code_start == std::string_view::npos ? code_start : line.find(' ', code_start + 1);
    response.reason =
        reason_start == std::string_view::npos ? "" : std::string{trim(line.substr(reason_start))};
  } else if (line.size() > 9 && curl_strnequal(line.data(), "location:", 9)) {
    response.location = std::string{trim(line.substr(9))};
  }
  return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& body = *static_cast<std::string*>(user);
  const std::size_t room = max_body_kept - std::min(body.size(), max_body_kept);
  body.append(data, std::min(room, size * count));
  return size * count;
}

void check(CURLcode code, std::string_view what) {
  if (code != CURLE_OK) {
    throw TransportError(fmt::format("libcurl: cannot {}: {}", what, curl_easy_strerror(code)),
                         false);
  }
}

Mime build_form(CURL* handle, const std::vector<FormField>& fields,
                const std::filesystem::path& file) {
  Mime mime{curl_mime_init(handle)};
  if (!mime) throw TransportError("libcurl: cannot allocate a multipart form", false);
  for (const auto& field : fields) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    check(curl_mime_name(part, field.name.c_str()), "name a form field");
    check(curl_mime_data(part, field.value.data(), field.value.size()), "fill a form field");
  }
  curl_mimepart* content = curl_mime_addpart(mime.get());
  check(curl_mime_name(content, "content"), "name the content part");
  check(curl_mime_filedata(content, file.c_str()), "attach " + file.string());
  check(curl_mime_filename(content, file.filename().c_str()), "name the content part");
  check(curl_mime_type(content, "application/octet-stream"), "type the content part");
  return mime;
}

}  // namespace

std::string standard_reason_phrase(long status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Payload Too Large";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

HttpResponse post_upload(const ResolvedRepository& repository, const std::vector<FormField>& fields,
                         const std::filesystem::path& file, const HttpOptions& options) {
  ensure_curl_initialized();
  EasyHandle handle{curl_easy_init()};
  if (!handle) throw TransportError("libcurl: cannot create a handle", false);
  CURL* curl = handle.get();

  const Mime form = build_form(curl, fields, file);
  // requests (twine) sends no "Expect: 100-continue"; some servers handle it badly.
  HeaderList headers{curl_slist_append(nullptr, "Expect:")};
  const std::string user_agent =
      fmt::format("docker-pipeline/{} {}", DOCKER_PIPELINE_VERSION_STRING, curl_version());
  HttpResponse response;
  char error_buffer[CURL_ERROR_SIZE] = {};

  check(curl_easy_setopt(curl, CURLOPT_URL, repository.url.c_str()), "set the URL");
  check(curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https"), "restrict protocols");
  check(curl_easy_setopt(curl, CURLOPT_MIMEPOST, form.get()), "attach the form");
  check(curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get()), "set headers");
  check(curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str()), "set the user agent");
  check(curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC), "choose Basic auth");
  check(curl_easy_setopt(curl, CURLOPT_USERNAME, repository.username.c_str()), "set the username");
  check(curl_easy_setopt(curl, CURLOPT_PASSWORD, repository.password.c_str()), "set the password");
  check(curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L), "disable redirects");
  check(curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L), "disable signals");
  check(curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                         static_cast<long>(options.connect_timeout.count())),
        "set the connect timeout");
  check(curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L), "set the stall limit");
  check(curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                         static_cast<long>(options.stall_timeout.count())),
        "set the stall timeout");
  check(curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header), "set the header callback");
  check(curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response), "set the header callback");
  check(curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body), "set the body callback");
  check(curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body), "set the body callback");
  check(curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer), "set the error buffer");

  const CURLcode result = curl_easy_perform(curl);
  if (result != CURLE_OK) {
    const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(result);
    throw TransportError(fmt::format("uploading {} to {} failed: {}", file.filename().string(),
                                     repository.url, detail),
                         result == CURLE_COULDNT_CONNECT);
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  if (response.reason.empty()) response.reason = standard_reason_phrase(response.status);
  return response;
}

}  // namespace dp::pypi
