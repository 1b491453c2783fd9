#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/errors.hpp"

namespace dp::process {

class ProcessError : public UserError {
 public:
  using UserError::UserError;
};

struct Options {
  std::optional<std::filesystem::path> cwd;
  // Variables set (or replaced) in the child's environment.
  std::vector<std::pair<std::string, std::string>> environment;
  // Captured output is returned in Result; otherwise the child writes to our stdout/stderr live.
  bool capture_stdout = false;
  bool capture_stderr = false;
  // When set (and nothing is captured), stdout and stderr go through one pipe and each line is
  // handed over as it completes (without its newline): output of several children at once.
  std::function<void(std::string_view line)> on_line;
  // When set, runs on a thread with the write end of the child's stdin; the end is closed after.
  std::function<void(int fd)> feed_stdin;
  std::optional<std::chrono::milliseconds> timeout;
  // Called once when an interrupt or the timeout stops the child, before signals are sent to it:
  // a docker client does not stop its container when it dies, so the caller stops that here.
  std::function<void()> on_stop;
  // For clean-up that must finish even after Ctrl-C (removing a container): the child runs in a
  // process group of its own, out of the terminal's reach, and interrupts do not stop it.
  bool shielded = false;
};

struct Result {
  int exit_code = -1;  // valid when the child exited
  int term_signal = 0;
  bool timed_out = false;
  int interrupted_by = 0;  // the helper's interrupting signal, if one was pending (not shielded)
  std::string out;
  std::string err;

  bool ok() const { return exit_code == 0 && term_signal == 0; }
  // The status a shell would report: the exit code, or 128 + the terminating signal.
  int status() const { return term_signal != 0 ? 128 + term_signal : exit_code; }
};

// Runs argv[0] (looked up in PATH) with the given arguments; no shell is involved. Throws
// ProcessError when the program cannot be started. Waits for it to end, forwarding interrupts.
Result run(const std::vector<std::string>& argv, const Options& options = {});

// Locates an executable by name in PATH (or checks an explicit path); empty when not found.
std::filesystem::path find_executable(const std::string& name);

}  // namespace dp::process
