#include "pypi/curl_session.hpp"

#include <fmt/core.h>

#include <cctype>
#include <mutex>

#include "pypi/http_upload.hpp"

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

}  // namespace

void check_curl(CURLcode code, std::string_view what) {
  if (code != CURLE_OK) {
    throw TransportError(fmt::format("libcurl: cannot {}: {}", what, curl_easy_strerror(code)),
                         TransportFailure::other);
  }
}

CurlSession::CurlSession(const std::string& url, const HttpOptions& options)
    : url_(url), stall_timeout_(options.stall_timeout) {
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
  const auto now = std::chrono::steady_clock::now();
  if (downloaded + uploaded != session.bytes_moved_) {
    session.bytes_moved_ = downloaded + uploaded;
    session.last_movement_ = now;
  } else if (now - session.last_movement_ > session.stall_timeout_) {
    session.stalled_ = true;
    return 1;
  }
  if (session.upload_progress_ && upload_total > 0)
    session.upload_progress_(uploaded, upload_total);
  return 0;
}

CURLcode CurlSession::perform(std::string& error_detail) {
  error_buffer_[0] = '\0';
  bytes_moved_ = -1;
  stalled_ = false;
  last_movement_ = std::chrono::steady_clock::now();
  const CURLcode code = curl_easy_perform(handle_.get());
  if (stalled_) {
    error_detail = fmt::format("timed out: nothing moved for {} s", stall_timeout_.count());
    return CURLE_OPERATION_TIMEDOUT;
  }
  if (code != CURLE_OK) {
    error_detail = error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(code);
  }
  return code;
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
