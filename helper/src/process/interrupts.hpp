#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

#include "core/errors.hpp"

namespace dp::process {

// SIGINT, SIGTERM and SIGHUP are recorded instead of killing the helper, so that the stack unwinds
// and RAII guards (containers, temp dirs) clean up before the helper exits with 128 + signal.
void install_interrupt_handlers();

// The first interrupting signal received, or 0.
int pending_interrupt();

// A descriptor that becomes readable once an interrupting signal arrived (for poll loops).
int interrupt_fd();

// Throws Interrupted when an interrupting signal has arrived.
void throw_if_interrupted();

// Waits `delay`, or less: throws Interrupted as soon as an interrupting signal arrives.
void sleep_unless_interrupted(std::chrono::milliseconds delay);

// Thrown where an interrupt stops the work in progress.
class Interrupted : public Error {
 public:
  explicit Interrupted(int signal);
  int signal() const { return signal_; }

 private:
  int signal_;
};

}  // namespace dp::process
