#include "process/interrupts.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <system_error>

namespace dp::process {
namespace {

std::atomic<int> received_signal{0};
int self_pipe[2] = {-1, -1};

extern "C" void record_signal(int signal) {
  int expected = 0;
  received_signal.compare_exchange_strong(expected, signal);
  const char byte = 1;
  [[maybe_unused]] auto ignored = ::write(self_pipe[1], &byte, 1);
}

}  // namespace

void install_interrupt_handlers() {
  if (self_pipe[0] != -1) return;
  if (::pipe2(self_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw std::system_error(errno, std::generic_category(), "creating the interrupt pipe");
  }
  struct sigaction action {};
  action.sa_handler = record_signal;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
  // A reader that went away (docker exiting while we stream the build context) is an error
  // value from write(), not a fatal signal.
  ::signal(SIGPIPE, SIG_IGN);
}

int pending_interrupt() {
  return received_signal.load();
}

int interrupt_fd() {
  return self_pipe[0];
}

void throw_if_interrupted() {
  if (const int signal = pending_interrupt()) throw Interrupted(signal);
}

void sleep_unless_interrupted(std::chrono::milliseconds delay) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + delay;
  for (;;) {
    throw_if_interrupted();
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return;
    // The pipe stays readable once a signal arrived; without handlers (fd -1) poll just waits.
    pollfd interrupt{interrupt_fd(), POLLIN, 0};
    const int ready = ::poll(&interrupt, 1, static_cast<int>(std::min<long long>(left, 60'000)));
    if (ready < 0 && errno != EINTR) {
      throw std::system_error(errno, std::generic_category(), "waiting for an interrupt");
    }
  }
}

Interrupted::Interrupted(int signal)
    : Error(fmt::format("interrupted by signal {} ({})", signal, ::strsignal(signal))),
      signal_(signal) {}

}  // namespace dp::process
