#pragma once

#include <chrono>
#include <ctime>
#include <functional>
#include <optional>
#include <string_view>

namespace dp::pypi {

// When to try an upload again and how long to wait: exponential backoff from `first_delay`,
// doubling up to `max_delay`, or the server's Retry-After (capped at `max_retry_after`).
struct RetryPolicy {
  int retries = 3;  // tries after the first one (--retries)
  std::chrono::milliseconds first_delay{1000};
  std::chrono::milliseconds max_delay{30000};
  std::chrono::milliseconds max_retry_after{300000};
  // Injected so tests need not wait; the default sleeps.
  std::function<void(std::chrono::milliseconds)> sleep;

  // The wait before retry number `retry` (1-based), preferring the server's Retry-After.
  std::chrono::milliseconds delay_before(
      int retry, std::optional<std::chrono::milliseconds> retry_after) const;
  void wait(std::chrono::milliseconds delay) const;
};

// Is this HTTP status worth trying again (5xx, 429)? Other 4xx are never retried.
bool is_retryable_status(long status);

// Retry-After as a delay: delta-seconds ("120") or an HTTP date, measured from `now`.
// Nothing for an empty or unreadable value; a date in the past is a zero delay.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, std::time_t now);

}  // namespace dp::pypi
