#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pypi/config/repository.hpp"
#include "pypi/http/curl_session.hpp"
#include "pypi/http/transport_error.hpp"

namespace dp::pypi {

// What an index answered.
struct HttpResponse {
  long status = 0;
  std::string reason;       // from the status line, or the standard phrase (HTTP/2 has none)
  std::string location;     // absolute target of a redirect, if any
  std::string retry_after;  // the Retry-After header, if any
  std::string content_type;
  std::map<std::string, std::string> headers;  // every header, its name in lower case (the last)
  std::string body;                            // the first 64 KiB
  std::uintmax_t bytes_sent = 0;               // request body bytes that went out before the answer

  bool is_success() const { return status >= 200 && status < 300; }
  bool is_redirect() const { return status >= 300 && status < 400; }
};

// One text part of a multipart/form-data body.
struct FormField {
  std::string name;
  std::string value;

  friend bool operator==(const FormField&, const FormField&) = default;
};

// Called with (bytes sent, bytes to send) while the body goes out.
using ProgressCallback = std::function<void(std::uintmax_t, std::uintmax_t)>;

// A text part whose value is known only once the content has gone out (a digest still being
// computed): sent after the content, its value asked for when libcurl gets to it.
struct DeferredField {
  std::string name;
  std::size_t length;                  // of the value, known in advance (Content-Length)
  std::function<std::string()> value;  // may block; an exception aborts the request
};

// POSTs multipart/form-data to the repository URL with Basic auth: the text fields, then
// `content` streamed from `file` (its base name, application/octet-stream), then the deferred
// fields. Sends "Expect: 100-continue" so a server refusing the credentials answers before the
// file goes out. Redirects are never followed. Throws TransportError when no HTTP answer
// arrives (or the index was given up, see SilentIndexes), process::Interrupted when an
// interrupting signal arrives first.
HttpResponse post_upload(const ResolvedRepository& repository, const std::vector<FormField>& fields,
                         const std::filesystem::path& file,
                         const std::vector<DeferredField>& deferred, const HttpOptions& options,
                         const ProgressCallback& progress = {});

// GETs `url` with the given Accept header (and Basic auth when `repository` is given),
// following no redirect. Throws as post_upload does.
HttpResponse http_get(const std::string& url, const std::string& accept,
                      const ResolvedRepository* repository, const HttpOptions& options);

// A request of another API than an index's upload (a container registry's, trusted
// publishing's token exchange): headers of its own, Basic auth when `basic` is set.
struct HttpRequest {
  std::string method = "GET";  // GET, HEAD or POST (only POST sends `body`)
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  struct Basic {
    std::string username;
    std::string password;
  };
  std::optional<Basic> basic;
};

// Sends `request`, following no redirect. Throws as post_upload does.
HttpResponse http_request(const HttpRequest& request, const HttpOptions& options);

// "Conflict" for 409 and the like; "" for codes it does not know.
std::string standard_reason_phrase(long status);

}  // namespace dp::pypi
