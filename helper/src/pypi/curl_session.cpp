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

}  // namespace

void check_curl(CURLcode code, std::string_view what) {
  if (code != CURLE_OK) {
    throw TransportError(fmt::format("libcurl: cannot {}: {}", what, curl_easy_strerror(code)),
                         TransportFailure::other);
  }
}

CurlSession::CurlSession(const std::string& url, const HttpOptions& options) : url_(url) {
  ensure_curl_initialized();
  handle_.reset(curl_easy_init());
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
  check_curl(curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L), "set the stall limit");
  check_curl(curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                              static_cast<long>(options.stall_timeout.count())),
             "set the stall timeout");
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

void CurlSession::set_credentials(const std::string& username, const std::string& password) {
  CURL* curl = handle_.get();
  check_curl(curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC), "choose Basic auth");
  check_curl(curl_easy_setopt(curl, CURLOPT_USERNAME, username.c_str()), "set the username");
  check_curl(curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str()), "set the password");
}

CURLcode CurlSession::perform(std::string& error_detail) {
  error_buffer_[0] = '\0';
  const CURLcode code = curl_easy_perform(handle_.get());
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
