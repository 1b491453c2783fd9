#include "pypi/http/http_client.hpp"

#include <curl/curl.h>
#include <fmt/core.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>

#include "text/text.hpp"

namespace dp::pypi {
namespace {

constexpr std::size_t max_body_kept = 64 * 1024;

struct MimeFree {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};
using Mime = std::unique_ptr<curl_mime, MimeFree>;

using text::trim;

bool header_is(std::string_view line, std::string_view name) {
  return line.size() > name.size() && line[name.size()] == ':' &&
         curl_strnequal(line.data(), name.data(), name.size());
}

// Collects the status line's reason and the headers used. A new status line (a proxy's, or an
// interim 100 Continue) starts over.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& response = *static_cast<HttpResponse*>(user);
  const std::string_view line{data, size * count};
  if (line.starts_with("HTTP/")) {
    response.retry_after.clear();
    response.content_type.clear();
    response.headers.clear();
    const auto code_start = line.find(' ');
    const auto reason_start =
        code_start == std::string_view::npos ? code_start : line.find(' ', code_start + 1);
    response.reason =
        reason_start == std::string_view::npos ? "" : std::string{trim(line.substr(reason_start))};
  } else if (header_is(line, "retry-after")) {
    response.retry_after = std::string{trim(line.substr(12))};
  } else if (header_is(line, "content-type")) {
    response.content_type = std::string{trim(line.substr(13))};
  }
  if (const auto colon = line.find(':'); colon != std::string_view::npos && colon > 0) {
    response.headers[text::lowercase(line.substr(0, colon))] =
        std::string{trim(line.substr(colon + 1))};
  }
  return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& body = *static_cast<std::string*>(user);
  const std::size_t room = max_body_kept - std::min(body.size(), max_body_kept);
  body.append(data, std::min(room, size * count));
  return size * count;
}

// Feeds one deferred field to libcurl; its value is fetched on the first read.
class DeferredPart {
 public:
  explicit DeferredPart(const DeferredField& field) : field_(field) {}

  const std::string& name() const { return field_.name; }
  std::size_t length() const { return field_.length; }

  static size_t read(char* buffer, size_t size, size_t count, void* self) {
    auto& part = *static_cast<DeferredPart*>(self);
    try {
      if (!part.value_) part.value_ = part.field_.value();
    } catch (...) {
      return CURL_READFUNC_ABORT;
    }
    if (part.value_->size() != part.field_.length) return CURL_READFUNC_ABORT;
    const size_t n = std::min(size * count, part.value_->size() - part.offset_);
    std::copy_n(part.value_->data() + part.offset_, n, buffer);
    part.offset_ += n;
    return n;
  }

  // libcurl rewinds the form to send it again (after a 100-continue refusal, say).
  static int seek(void* self, curl_off_t offset, int origin) {
    auto& part = *static_cast<DeferredPart*>(self);
    if (origin != SEEK_SET || offset < 0 || static_cast<size_t>(offset) > part.field_.length) {
      return CURL_SEEKFUNC_CANTSEEK;
    }
    part.offset_ = static_cast<size_t>(offset);
    return CURL_SEEKFUNC_OK;
  }

 private:
  const DeferredField& field_;
  std::optional<std::string> value_;
  size_t offset_ = 0;
};

Mime build_form(CURL* handle, const std::vector<FormField>& fields,
                const std::filesystem::path& file, std::vector<DeferredPart>& deferred) {
  Mime mime{curl_mime_init(handle)};
  if (!mime)
    throw TransportError("libcurl: cannot allocate a multipart form", TransportFailure::other);
  for (const auto& field : fields) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    check_curl(curl_mime_name(part, field.name.c_str()), "name a form field");
    check_curl(curl_mime_data(part, field.value.data(), field.value.size()), "fill a form field");
  }
  curl_mimepart* content = curl_mime_addpart(mime.get());
  check_curl(curl_mime_name(content, "content"), "name the content part");
  // Streamed from the file by libcurl: the content is never held in memory.
  check_curl(curl_mime_filedata(content, file.c_str()), "attach " + file.string());
  check_curl(curl_mime_filename(content, file.filename().c_str()), "name the content part");
  check_curl(curl_mime_type(content, "application/octet-stream"), "type the content part");
  for (auto& field : deferred) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    check_curl(curl_mime_name(part, field.name().c_str()), "name a form field");
    check_curl(curl_mime_data_cb(part, static_cast<curl_off_t>(field.length()), DeferredPart::read,
                                 DeferredPart::seek, nullptr, &field),
               "attach a deferred form field");
  }
  return mime;
}

TransportFailure failure_of(CURLcode code, const CurlSession& session) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      return TransportFailure::could_not_connect;
    case CURLE_OPERATION_TIMEDOUT:
      // Before the request went out (the connect timeout, or a TLS handshake that never
      // ended): nothing reached the index.
      if (!session.request_sent()) return TransportFailure::could_not_connect;
      return TransportFailure::answer_lost;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TransportFailure::answer_lost;
    default:
      return TransportFailure::other;
  }
}

void read_answer(CurlSession& session, HttpResponse& response, std::string_view action,
                 std::string_view url) {
  CURL* curl = session.get();
  check_curl(curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header), "set the header callback");
  check_curl(curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response), "set the header callback");
  check_curl(curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body), "set the body callback");
  check_curl(curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body), "set the body callback");
  if (const auto reason = session.given_up()) {
    throw TransportError(fmt::format("{} {} not tried: {}", action, sanitized_url(url), *reason),
                         TransportFailure::other);
  }
  std::string detail;
  const CURLcode code = session.perform(detail);
  response.bytes_sent =
      static_cast<std::uintmax_t>(std::max<curl_off_t>(0, session.bytes_uploaded()));
  if (code != CURLE_OK) {
    throw TransportError(fmt::format("{} {} failed: {}", action, sanitized_url(url), detail),
                         failure_of(code, session), code == CURLE_OPERATION_TIMEDOUT);
  }
  response.status = session.status();
  if (response.reason.empty()) response.reason = standard_reason_phrase(response.status);
  if (response.is_redirect()) response.location = sanitized_url(session.redirect_url());
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
    case 429:
      return "Too Many Requests";
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
                         const std::filesystem::path& file,
                         const std::vector<DeferredField>& deferred, const HttpOptions& options,
                         const ProgressCallback& progress) {
  CurlSession session{repository.url, options};
  session.set_credentials(repository.username, repository.password);
  CURL* curl = session.get();
  std::vector<DeferredPart> deferred_parts(deferred.begin(), deferred.end());
  const Mime form = build_form(curl, fields, file, deferred_parts);
  // A server that checks credentials before reading the body (warehouse, nginx/Apache auth in
  // front of an index) refuses a wrong token before any file byte is sent. pypiserver 2.4 under
  // waitress answers 100 Continue at once and checks afterwards; one that ignores the header
  // costs libcurl's 1 s expect timeout. "Expect:" alone keeps libcurl from adding it.
  const bool expect_continue = std::filesystem::file_size(file) >= options.expect_continue_from;
  HeaderList headers{
      curl_slist_append(nullptr, expect_continue ? "Expect: 100-continue" : "Expect:")};
  check_curl(curl_easy_setopt(curl, CURLOPT_EXPECT_100_TIMEOUT_MS,
                              static_cast<long>(options.expect_continue_wait.count())),
             "set the 100-continue wait");
  check_curl(curl_easy_setopt(curl, CURLOPT_MIMEPOST, form.get()), "attach the form");
  check_curl(curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get()), "set headers");
  if (progress) {
    session.on_upload_progress([&progress](curl_off_t sent, curl_off_t total) {
      progress(static_cast<std::uintmax_t>(sent), static_cast<std::uintmax_t>(total));
    });
  }
  HttpResponse response;
  read_answer(session, response, fmt::format("uploading {} to", file.filename().string()),
              repository.url);
  return response;
}

HttpResponse http_get(const std::string& url, const std::string& accept,
                      const ResolvedRepository* repository, const HttpOptions& options) {
  CurlSession session{url, options};
  if (repository != nullptr) session.set_credentials(repository->username, repository->password);
  const std::string accept_header = "Accept: " + accept;
  HeaderList headers{curl_slist_append(nullptr, accept_header.c_str())};
  check_curl(curl_easy_setopt(session.get(), CURLOPT_HTTPHEADER, headers.get()), "set headers");
  check_curl(curl_easy_setopt(session.get(), CURLOPT_ACCEPT_ENCODING, ""), "accept compression");
  HttpResponse response;
  read_answer(session, response, "GET", url);
  return response;
}

HttpResponse http_request(const HttpRequest& request, const HttpOptions& options) {
  CurlSession session{request.url, options};
  if (request.basic) session.set_credentials(request.basic->username, request.basic->password);
  CURL* curl = session.get();
  if (request.method == "HEAD") {
    check_curl(curl_easy_setopt(curl, CURLOPT_NOBODY, 1L), "make a HEAD request");
  } else if (request.method == "POST") {
    check_curl(curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                                static_cast<curl_off_t>(request.body.size())),
               "set the body's size");
    check_curl(curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data()), "set the body");
  } else if (request.method != "GET") {
    throw TransportError(fmt::format("HTTP method {} is not supported here", request.method),
                         TransportFailure::other);
  }
  // curl_slist_append returns the list's head, the same pointer after the first; nullptr when
  // out of memory, the list left as it was (and freed by `headers`).
  HeaderList headers;
  for (const auto& header : request.headers) {
    if (curl_slist* head = curl_slist_append(headers.get(), header.c_str())) {
      if (!headers) headers.reset(head);
    } else {
      throw TransportError("libcurl: cannot allocate a header list", TransportFailure::other);
    }
  }
  check_curl(curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get()), "set headers");
  HttpResponse response;
  read_answer(session, response, request.method, request.url);
  return response;
}

}  // namespace dp::pypi
