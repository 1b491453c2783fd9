#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dp::pypi {

// Transport settings every request to an index shares (--cert, --client-cert, --timeout).
struct HttpOptions {
  std::chrono::seconds connect_timeout{30};
  std::chrono::seconds stall_timeout{30};  // abort when no byte moves for this long (--timeout)
  std::optional<std::filesystem::path> ca_bundle;    // --cert / TWINE_CERT
  std::optional<std::filesystem::path> client_cert;  // --client-cert: PEM holding cert and key
  // Files from this size on are sent with "Expect: 100-continue", so that a refused token costs
  // no upload; below it the extra round trip would cost more than sending.
  std::uintmax_t expect_continue_from = 1 << 20;
  // How long to wait for the server's 100 Continue (or refusal) before sending anyway; libcurl's
  // default.
  std::chrono::milliseconds expect_continue_wait{1000};
};

struct EasyCleanup {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistFree>;

// One libcurl easy handle set up for talking to an index: http(s) only, no signals, no
// redirects followed, Basic auth when credentials are given, TLS files and timeouts from
// HttpOptions. Throws TransportError when libcurl refuses a setting.
class CurlSession {
 public:
  CurlSession(const std::string& url, const HttpOptions& options);
  ~CurlSession();
  CurlSession(const CurlSession&) = delete;
  CurlSession& operator=(const CurlSession&) = delete;

  CURL* get() const { return handle_.get(); }
  void set_credentials(const std::string& username, const std::string& password);

  // Called as request body bytes go out: (sent, total).
  void on_upload_progress(std::function<void(curl_off_t, curl_off_t)> callback);

  // Runs the request; returns the libcurl code and, on failure, libcurl's own detail. A request
  // on which no byte moved for the stall timeout ends with CURLE_OPERATION_TIMEDOUT.
  CURLcode perform(std::string& error_detail);

  long status() const;
  // The absolute target of a redirect answer ("" when there is none).
  std::string redirect_url() const;
  // Request body bytes sent so far (0 when the server answered before the body went out).
  curl_off_t bytes_uploaded() const;

 private:
  static int on_transfer(void* self, curl_off_t download_total, curl_off_t downloaded,
                         curl_off_t upload_total, curl_off_t uploaded);

  std::unique_ptr<CURL, EasyCleanup> handle_;
  std::string url_;
  std::chrono::seconds stall_timeout_;
  std::chrono::steady_clock::time_point last_movement_;
  curl_off_t bytes_moved_ = -1;
  bool stalled_ = false;
  std::function<void(curl_off_t, curl_off_t)> upload_progress_;
  std::string user_agent_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

// Fails with TransportError("libcurl: cannot <what>: ...") unless `code` is CURLE_OK.
void check_curl(CURLcode code, std::string_view what);

// The origin ("http://host:port") of a URL, lowercased scheme and host; "" if none.
std::string url_origin(std::string_view url);

}  // namespace dp::pypi
