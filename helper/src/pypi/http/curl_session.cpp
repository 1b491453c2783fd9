#include "pypi/http/curl_session.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "process/interrupts.hpp"
#include "pypi/http/transport_error.hpp"

namespace dp::pypi {
namespace {

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw TransportError("libcurl failed to initialize", TransportFailure::other);
    }
  });
}

// One spare handle per thread: a handle keeps its connections, so consecutive requests to an
// index reuse one (keep-alive) instead of connecting for every file.
std::unique_ptr<CURL, EasyCleanup>& spare_handle() {
  thread_local std::unique_ptr<CURL, EasyCleanup> spare;
  return spare;
}

std::unique_ptr<CURL, EasyCleanup> take_handle() {
  auto& spare = spare_handle();
  if (!spare) return std::unique_ptr<CURL, EasyCleanup>{curl_easy_init()};
  curl_easy_reset(spare.get());
  return std::move(spare);
}

struct MultiCleanup {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};

// The thread's multi handle: its connection cache keeps connections from one request to the
// next (keep-alive). Requests on one thread run one at a time, so they can share it.
CURLM* thread_multi() {
  thread_local std::unique_ptr<CURLM, MultiCleanup> multi{curl_multi_init()};
  if (!multi)
    throw TransportError("libcurl: cannot create a multi handle", TransportFailure::other);
  return multi.get();
}

void check_multi(CURLMcode code, std::string_view what) {
  if (code != CURLM_OK) {
    throw TransportError(fmt::format("libcurl: cannot {}: {}", what, curl_multi_strerror(code)),
                         TransportFailure::other);
  }
}

// The easy handle on the thread's multi handle for one request; taken off again at the end.
class Attached {
 public:
  Attached(CURLM* multi, CURL* easy) : multi_(multi), easy_(easy) {
    check_multi(curl_multi_add_handle(multi_, easy_), "start a request");
  }
  ~Attached() { curl_multi_remove_handle(multi_, easy_); }
  Attached(const Attached&) = delete;
  Attached& operator=(const Attached&) = delete;

 private:
  CURLM* multi_;
  CURL* easy_;
};

std::string seconds_text(std::chrono::milliseconds duration) {
  return fmt::format("{:g} s", std::chrono::duration<double>(duration).count());
}

}  // namespace

std::optional<std::string> SilentIndexes::given_up(std::string_view url, bool with_last) const {
  const std::lock_guard lock{mutex_};
  const auto found = origins_.find(url_origin(url));
  if (found == origins_.end() || found->second.timeouts < limit_) return std::nullopt;
  std::string reason = fmt::format("{} gave no answer to {} requests in a row", found->first,
                                   found->second.timeouts);
  if (with_last) reason += fmt::format(" (the last: {})", found->second.last);
  return reason;
}

void SilentIndexes::timed_out(std::string_view url, std::string_view detail) {
  const std::lock_guard lock{mutex_};
  auto& silence = origins_[url_origin(url)];
  ++silence.timeouts;
  silence.last = detail;
}

void SilentIndexes::answered(std::string_view url) {
  const std::lock_guard lock{mutex_};
  origins_.erase(url_origin(url));
}

void check_curl(CURLcode code, std::string_view what) {
  if (code != CURLE_OK) {
    throw TransportError(fmt::format("libcurl: cannot {}: {}", what, curl_easy_strerror(code)),
                         TransportFailure::other);
  }
}

CurlSession::CurlSession(const std::string& url, const HttpOptions& options)
    : url_(url),
      stall_timeout_(options.stall_timeout),
      answer_wait_per_mib_(options.answer_wait_per_mib),
      silent_indexes_(options.silent_indexes) {
  ensure_curl_initialized();
  handle_ = take_handle();
  if (!handle_) throw TransportError("libcurl: cannot create a handle", TransportFailure::other);
  CURL* curl = handle_.get();
  user_agent_ =
      fmt::format("docker-pipeline/{} {}", DOCKER_PIPELINE_VERSION_STRING, curl_version());
  check_curl(curl_easy_setopt(curl, CURLOPT_URL, url_.c_str()), "set the URL");
  check_curl(curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https"), "restrict protocols");
  check_curl(curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent_.c_str()), "set the user agent");
  check_curl(curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L), "disable redirects");
  check_curl(curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L), "disable signals");
  check_curl(curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                              static_cast<long>(options.connect_timeout.count())),
             "set the connect timeout");
  // The stall watchdog: libcurl's low-speed limit averages over a window and fires late.
  check_curl(curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_transfer),
             "set the transfer callback");
  check_curl(curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this), "set the transfer callback");
  check_curl(curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L), "enable the transfer callback");
  check_curl(curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer_), "set the error buffer");
  if (options.ca_bundle) {
    check_curl(curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_bundle->c_str()),
               "use the CA bundle " + options.ca_bundle->string());
  }
  if (options.client_cert) {
    // One PEM file holds certificate and key, as with twine's --client-cert.
    check_curl(curl_easy_setopt(curl, CURLOPT_SSLCERT, options.client_cert->c_str()),
               "use the client certificate " + options.client_cert->string());
    check_curl(curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM"), "set the certificate type");
    check_curl(curl_easy_setopt(curl, CURLOPT_SSLKEY, options.client_cert->c_str()),
               "use the client key " + options.client_cert->string());
  }
}

CurlSession::~CurlSession() {
  if (handle_) spare_handle() = std::move(handle_);
}

void CurlSession::set_credentials(const std::string& username, const std::string& password) {
  CURL* curl = handle_.get();
  check_curl(curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC), "choose Basic auth");
  check_curl(curl_easy_setopt(curl, CURLOPT_USERNAME, username.c_str()), "set the username");
  check_curl(curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str()), "set the password");
}

void CurlSession::on_upload_progress(std::function<void(curl_off_t, curl_off_t)> callback) {
  upload_progress_ = std::move(callback);
}

int CurlSession::on_transfer(void* self, curl_off_t, curl_off_t downloaded, curl_off_t upload_total,
                             curl_off_t uploaded) {
  auto& session = *static_cast<CurlSession*>(self);
  if (process::pending_interrupt() != 0) return 1;
  const auto now = std::chrono::steady_clock::now();
  auto allowed = session.stall_timeout_;
  if (upload_total > 0 && uploaded == upload_total) {
    allowed += session.answer_wait_per_mib_ * (upload_total >> 20);  // the index processes it
  }
  if (downloaded + uploaded != session.bytes_moved_) {
    session.bytes_moved_ = downloaded + uploaded;
    session.last_movement_ = now;
  } else if (now - session.last_movement_ > allowed) {
    session.stalled_after_ = allowed;
    return 1;
  }
  if (session.upload_progress_ && upload_total > 0)
    session.upload_progress_(uploaded, upload_total);
  return 0;
}

// Drives the transfer on the thread's multi handle. curl_multi_poll returns when a socket is
// ready, when libcurl's next timer is due (the transfer callback, so the stall watchdog, runs
// at least once a second) or at once when the interrupt pipe becomes readable.
CURLcode CurlSession::run_transfer() {
  CURLM* multi = thread_multi();
  const Attached attached{multi, handle_.get()};
  curl_waitfd interrupt{process::interrupt_fd(), CURL_WAIT_POLLIN, 0};
  const unsigned int extra_fds = interrupt.fd >= 0 ? 1 : 0;
  for (;;) {
    int running = 0;
    check_multi(curl_multi_perform(multi, &running), "run a request");
    int queued = 0;
    while (const CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg == CURLMSG_DONE && message->easy_handle == handle_.get()) {
        return message->data.result;
      }
    }
    if (running == 0) return CURLE_RECV_ERROR;  // ended without a result: not expected
    if (process::pending_interrupt() != 0) return CURLE_ABORTED_BY_CALLBACK;
    check_multi(
        curl_multi_poll(multi, extra_fds > 0 ? &interrupt : nullptr, extra_fds, 1000, nullptr),
        "wait for the index");
  }
}

CURLcode CurlSession::perform(std::string& error_detail) {
  process::throw_if_interrupted();
  error_buffer_[0] = '\0';
  bytes_moved_ = -1;
  stalled_after_.reset();
  last_movement_ = std::chrono::steady_clock::now();
  CURLcode code = run_transfer();
  if (code != CURLE_OK) process::throw_if_interrupted();
  if (stalled_after_) {
    error_detail = "timed out: nothing moved for " + seconds_text(*stalled_after_);
    code = CURLE_OPERATION_TIMEDOUT;
  } else if (code != CURLE_OK) {
    error_detail = error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(code);
  }
  if (silent_indexes_) {
    if (code == CURLE_OPERATION_TIMEDOUT) {
      silent_indexes_->timed_out(url_, error_detail);
    } else if (code == CURLE_OK) {
      silent_indexes_->answered(url_);
    }
  }
  return code;
}

std::optional<std::string> CurlSession::given_up() const {
  if (!silent_indexes_) return std::nullopt;
  return silent_indexes_->given_up(url_);
}

long CurlSession::status() const {
  long status = 0;
  curl_easy_getinfo(handle_.get(), CURLINFO_RESPONSE_CODE, &status);
  return status;
}

std::string CurlSession::redirect_url() const {
  char* target = nullptr;
  curl_easy_getinfo(handle_.get(), CURLINFO_REDIRECT_URL, &target);
  return target == nullptr ? "" : target;
}

curl_off_t CurlSession::bytes_uploaded() const {
  curl_off_t bytes = 0;
  curl_easy_getinfo(handle_.get(), CURLINFO_SIZE_UPLOAD_T, &bytes);
  return bytes;
}

bool CurlSession::request_sent() const {
  long bytes = 0;
  curl_easy_getinfo(handle_.get(), CURLINFO_REQUEST_SIZE, &bytes);
  return bytes > 0;
}

std::string url_origin(std::string_view url) {
  const auto separator = url.find("://");
  if (separator == std::string_view::npos) return "";
  const auto authority_end = url.find_first_of("/?#", separator + 3);
  std::string_view authority = url.substr(separator + 3, authority_end - separator - 3);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string origin = std::string{url.substr(0, separator)} + "://" + std::string{authority};
  for (auto& c : origin) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return origin;
}

}  // namespace dp::pypi
