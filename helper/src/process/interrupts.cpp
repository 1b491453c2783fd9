#include "process/interrupts.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
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

Interrupted::Interrupted(int signal)
    : std::runtime_error(fmt::format("interrupted by signal {} ({})", signal, ::strsignal(signal))),
      signal_(signal) {}

}  // namespace dp::process
