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
  // Of those, how many may follow a timed-out attempt. A 5xx, a refused or reset connection
  // costs a moment and often passes; a timeout costs the whole --timeout each time and seldom
  // passes, so an index that never answers is given up after two waits, not four.
  int timeout_retries = 1;
  std::chrono::milliseconds first_delay{1000};
  std::chrono::milliseconds max_delay{30000};
  std::chrono::milliseconds max_retry_after{300000};
  // Injected so tests need not wait; the default sleeps until the delay is over or an
  // interrupting signal arrives.
  std::function<void(std::chrono::milliseconds)> sleep;

  // The wait before retry number `retry` (1-based), preferring the server's Retry-After.
  std::chrono::milliseconds delay_before(
      int retry, std::optional<std::chrono::milliseconds> retry_after) const;
  // Throws process::Interrupted when an interrupting signal arrives (before or during the wait).
  void wait(std::chrono::milliseconds delay) const;
};

// Is this HTTP status worth trying again (5xx, 429)? Other 4xx are never retried.
bool is_retryable_status(long status);

// Retry-After as a delay: delta-seconds ("120") or an HTTP date, measured from `now`.
// Nothing for an empty or unreadable value; a date in the past is a zero delay.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, std::time_t now);

}  // namespace dp::pypi
