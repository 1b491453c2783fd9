#include "console/terminal_reporter.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include "pypi/upload/upload_lines.hpp"

namespace dp::console {

namespace {

bool plain_log(const process::EnvironmentLookup& environment) {
  const auto ci = environment("CI");
  return ::isatty(STDOUT_FILENO) != 1 || (ci && !ci->empty() && *ci != "false" && *ci != "0");
}

}  // namespace

TerminalReporter::TerminalReporter(std::string command, bool progress_bars)
    : prefix_(fmt::format("docker-pipeline {}: ", command)),
      ci_(detect_ci(process::process_environment())),
      terminal_(!plain_log(process::process_environment())),
      progress_bars_(progress_bars && terminal_) {}

void TerminalReporter::mask(std::string_view secret) {
  const auto line = ci_mask_line(ci_, secret);
  if (line.empty()) return;
  std::lock_guard lock{mutex_};
  fmt::print(stdout, "{}", line);
  std::fflush(stdout);
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
