#pragma once

#include <string>

#include "core/errors.hpp"

namespace dp::pypi {

// Why no HTTP answer arrived, which decides whether and how to try again.
enum class TransportFailure {
  could_not_connect,  // nothing reached the server: safe to retry
  answer_lost,        // the request may have arrived (reset, timeout, empty reply)
  other               // TLS, setup and the like: retrying does not help
};

class TransportError : public UserError {
 public:
  TransportError(const std::string& message, TransportFailure failure, bool timed_out = false)
      : UserError(message), failure_(failure), timed_out_(timed_out) {}
  TransportFailure failure() const { return failure_; }
  bool retryable() const { return failure_ != TransportFailure::other; }
  // No connection, or nothing moved, within the timeout.
  bool timed_out() const { return timed_out_; }

 private:
  TransportFailure failure_;
  bool timed_out_;
};

}  // namespace dp::pypi
