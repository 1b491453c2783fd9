#include "console/terminal_reporter.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include "pypi/upload/upload_lines.hpp"

namespace dp::console {

TerminalReporter::TerminalReporter(std::string command, bool progress_bars)
    : prefix_(fmt::format("docker-pipeline {}: ", command)),
      progress_bars_(progress_bars && on_terminal()) {}

bool TerminalReporter::on_terminal() const {
  return ::isatty(STDOUT_FILENO) == 1;
}

void TerminalReporter::line(std::FILE* stream, std::string_view prefix, std::string_view text) {
  std::lock_guard lock{mutex_};
  if (stream == stdout && bar_shown_) {
    fmt::print(stdout, "\r\033[K");
    bar_shown_ = false;
  }
  fmt::print(stream, "{}{}\n", prefix, text);
  std::fflush(stream);
}

void TerminalReporter::progress(std::string_view file, std::uintmax_t sent, std::uintmax_t total) {
  if (!progress_bars_ || total == 0) return;
  std::lock_guard lock{mutex_};
  const auto now = std::chrono::steady_clock::now();
  if (sent < total && now - last_draw_ < std::chrono::milliseconds{100}) return;
  last_draw_ = now;
  fmt::print(stdout, "\r{}\033[K", pypi::progress_line(file, sent, total));
  std::fflush(stdout);
  bar_shown_ = true;
}

}  // namespace dp::console
