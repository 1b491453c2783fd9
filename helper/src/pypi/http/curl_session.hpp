#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace dp::pypi {

class SilentIndexes;

// Transport settings every request to an index shares (--cert, --client-cert, --timeout).
//
// The timeouts bound what an index that never answers costs; none of them limits a transfer
// that moves. For comparison: twine sets no timeout at all (requests waits forever for an
// index that accepts the connection and stays silent) and never retries an upload POST; uv
// publish connects within 10 s, waits 900 s for an upload's answer and 30 s for any other
// read, and retries 3 times. Here a request is given up when nothing moved for the stall
// timeout, which a slow but alive index (bytes trickling, or a large file being processed)
// does not hit, so it can be short. See silent_index_budget() for what the defaults add up to.
struct HttpOptions {
  // As uv: a reachable index connects in well under a second.
  std::chrono::seconds connect_timeout{10};
  // Abort when no byte moves for this long (--timeout). pip waits 15 s, uv 30 s.
  std::chrono::seconds stall_timeout{20};
  // After an upload's body went out, the index hashes, checks and stores the file before it
  // answers: the stall timeout is longer by this much per MiB sent (+50 s for 500 MiB; PyPI's
  // processing of files of a few hundred MB has outlasted its own front end's 60 s).
  std::chrono::milliseconds answer_wait_per_mib{100};
  std::optional<std::filesystem::path> ca_bundle;    // --cert / TWINE_CERT
  std::optional<std::filesystem::path> client_cert;  // --client-cert: PEM holding cert and key
  // Files from this size on are sent with "Expect: 100-continue", so that a refused token costs
  // no upload; below it the extra round trip would cost more than sending.
  std::uintmax_t expect_continue_from = 1 << 20;
  // How long to wait for the server's 100 Continue (or refusal) before sending anyway; libcurl's
  // default.
  std::chrono::milliseconds expect_continue_wait{1000};
  // Shared by every copy of these options, so by every request of a run: indexes given up.
  std::shared_ptr<SilentIndexes> silent_indexes = std::make_shared<SilentIndexes>();
};

// The indexes that stopped answering in this run. Once `limit` requests in a row to one origin
// timed out (no connection, or nothing moved, within the timeout) with none answered in between,
// requests to it are not sent any more: an index that accepts connections and never answers
// costs `limit` timeouts per run, instead of some per file and per simple-API lookup. Safe to
// use from several threads.
class SilentIndexes {
 public:
  static constexpr int default_limit = 2;

  explicit SilentIndexes(int limit = default_limit) : limit_(limit) {}

  int limit() const { return limit_; }
  // Why the origin of `url` is not asked any more ("http://host:port gave no answer to 2
  // requests in a row", and what the last one ended with unless `with_last` is false); nothing
  // while it may still answer.
  std::optional<std::string> given_up(std::string_view url, bool with_last = true) const;
  void timed_out(std::string_view url, std::string_view detail);
  void answered(std::string_view url);

 private:
  struct Silence {
    int timeouts = 0;  // in a row
    std::string last;  // what the last one said
  };
  int limit_;
  mutable std::mutex mutex_;
  std::map<std::string, Silence, std::less<>> origins_;
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
// HttpOptions. Throws TransportError when libcurl refuses a setting. Requests run on a multi
// handle of the thread's own (which keeps connections for the next request), so that an
// interrupting signal ends a wait at once.
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
  // on which no byte moved for the stall timeout ends with CURLE_OPERATION_TIMEDOUT. Throws
  // process::Interrupted when an interrupting signal arrives before or while it runs (a request
  // that completed all the same returns CURLE_OK), and TransportError when libcurl fails.
  CURLcode perform(std::string& error_detail);
  // Why this request is not sent: its index was given up (see SilentIndexes).
  std::optional<std::string> given_up() const;

  long status() const;
  // The absolute target of a redirect answer ("" when there is none).
  std::string redirect_url() const;
  // Request body bytes sent so far (0 when the server answered before the body went out).
  curl_off_t bytes_uploaded() const;
  // Did the request (its headers) go out? Not when no connection was made.
  bool request_sent() const;

 private:
  static int on_transfer(void* self, curl_off_t download_total, curl_off_t downloaded,
                         curl_off_t upload_total, curl_off_t uploaded);

  CURLcode run_transfer();

  std::unique_ptr<CURL, EasyCleanup> handle_;
  std::string url_;
  std::chrono::milliseconds stall_timeout_;
  std::chrono::milliseconds answer_wait_per_mib_;
  std::shared_ptr<SilentIndexes> silent_indexes_;
  std::chrono::steady_clock::time_point last_movement_;
  curl_off_t bytes_moved_ = -1;
  std::optional<std::chrono::milliseconds> stalled_after_;
  std::function<void(curl_off_t, curl_off_t)> upload_progress_;
  std::string user_agent_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

// Fails with TransportError("libcurl: cannot <what>: ...") unless `code` is CURLE_OK.
void check_curl(CURLcode code, std::string_view what);

// The origin ("http://host:port") of a URL, lowercased scheme and host; "" if none.
std::string url_origin(std::string_view url);

}  // namespace dp::pypi
