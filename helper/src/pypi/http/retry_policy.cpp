#include "pypi/http/retry_policy.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <string>

#include "process/interrupts.hpp"

namespace dp::pypi {

std::chrono::milliseconds RetryPolicy::delay_before(
    int retry, std::optional<std::chrono::milliseconds> retry_after) const {
  if (retry_after) return std::min(*retry_after, max_retry_after);
  auto delay = first_delay;
  for (int i = 1; i < retry && delay < max_delay; ++i) delay *= 2;
  return std::min(delay, max_delay);
}

void RetryPolicy::wait(std::chrono::milliseconds delay) const {
  if (sleep) {
    process::throw_if_interrupted();
    sleep(delay);
    process::throw_if_interrupted();
  } else {
    process::sleep_unless_interrupted(delay);
  }
}

bool is_retryable_status(long status) {
  return status == 429 || (status >= 500 && status < 600);
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::time_t now) {
  const auto first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  value = value.substr(first, value.find_last_not_of(" \t") - first + 1);
  long long seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error == std::errc{} && end == value.data() + value.size()) {
    return std::chrono::seconds{std::max(0LL, seconds)};
  }
  const std::string date{value};
  const std::time_t when = curl_getdate(date.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::chrono::seconds{std::max<std::time_t>(0, when - now)};
}

}  // namespace dp::pypi
