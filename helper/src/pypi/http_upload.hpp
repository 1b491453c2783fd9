#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "pypi/repository.hpp"
#include "pypi/upload_form.hpp"

namespace dp::pypi {

// What an index answered.
struct HttpResponse {
  long status = 0;
  std::string reason;    // from the status line, or the standard phrase (HTTP/2 has none)
  std::string location;  // the Location header, if any
  std::string body;      // the first 64 KiB

  bool is_success() const { return status >= 200 && status < 300; }
  bool is_redirect() const { return status >= 300 && status < 400; }
};

struct HttpOptions {
  std::chrono::seconds connect_timeout{30};
  std::chrono::seconds stall_timeout{120};  // abort when no byte moves for this long
};

// A transport failure (nothing answered). `connection_refused` tells retryable ones apart.
class TransportError : public std::runtime_error {
 public:
  TransportError(const std::string& message, bool could_not_connect)
      : std::runtime_error(message), could_not_connect_(could_not_connect) {}
  bool could_not_connect() const { return could_not_connect_; }

 private:
  bool could_not_connect_;
};

// POSTs multipart/form-data to the repository URL with Basic auth: the text fields, then
// `content` streamed from `file` (its base name, application/octet-stream). Redirects are
// never followed. Throws TransportError when no HTTP answer arrives.
HttpResponse post_upload(const ResolvedRepository& repository, const std::vector<FormField>& fields,
                         const std::filesystem::path& file, const HttpOptions& options);

// "Conflict" for 409 and the like; "" for codes it does not know.
std::string standard_reason_phrase(long status);

}  // namespace dp::pypi
