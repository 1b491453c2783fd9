#include "cli/terminal_reporter.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include "pypi/upload/upload_lines.hpp"

namespace dp::cli {

TerminalReporter::TerminalReporter(std::string command, bool progress_bars)
    : prefix_(fmt::format("docker-pipeline {}: ", command)),
      progress_bars_(progress_bars && on_terminal()) {}

bool TerminalReporter::on_terminal() const {
  return ::isatty(STDOUT_FILENO) == 1;
}
void TerminalReporter::say(std::string_view text) {
  line(stdout, "docker-pipeline: ", text);
}
void TerminalReporter::warn(std::string_view text) {
  line(stderr, prefix_ + "warning: ", text);
}
void TerminalReporter::fail(std::string_view text) {
  line(stderr, prefix_, text);
}
void TerminalReporter::print(std::string_view text) {
  line(stdout, "", text);
}
void TerminalReporter::log(std::string_view text) {
  line(stderr, "", text);
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
  constexpr std::size_t width = 30;
  const auto filled = static_cast<std::size_t>(
      static_cast<double>(width) * static_cast<double>(sent) / static_cast<double>(total));
  const std::string name =
      file.size() > 40 ? std::string{file.substr(0, 37)} + "..." : std::string{file};
  fmt::print(stdout, "\r{:<40} [{}{}] {:>3}% {} / {}\033[K", name, std::string(filled, '#'),
             std::string(width - filled, ' '), sent * 100 / total, pypi::human_size(sent),
             pypi::human_size(total));
  std::fflush(stdout);
  bar_shown_ = true;
}

}  // namespace dp::cli
