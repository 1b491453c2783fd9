#include "pypi/upload/upload_console.hpp"

#include <fmt/core.h>

#include <array>

namespace dp::pypi {

std::string human_size(std::uintmax_t bytes) {
  static constexpr std::array<std::string_view, 4> units = {"B", "KB", "MB", "GB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < units.size()) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, units[unit]);
}

std::string result_line(std::string_view file, const UploadResult& result) {
  const double seconds = result.elapsed.count();
  const auto rate =
      seconds > 0 ? static_cast<std::uintmax_t>(static_cast<double>(result.bytes_sent) / seconds)
                  : std::uintmax_t{0};
  return fmt::format("{} {} ({}, {:.2f} s, {}/s)", outcome_name(result.outcome), file,
                     human_size(result.size), seconds, human_size(rate));
}

UploadConsole::UploadConsole(std::FILE* stream, bool progress_bars)
    : stream_(stream), progress_bars_(progress_bars) {}

void UploadConsole::line(std::string_view text) {
  std::lock_guard lock{mutex_};
  clear_bar();
  fmt::print(stream_, "{}\n", text);
  std::fflush(stream_);
}

void UploadConsole::progress(std::string_view file, std::uintmax_t sent, std::uintmax_t total) {
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
  fmt::print(stream_, "\r{:<40} [{}{}] {:>3}% {} / {}\033[K", name, std::string(filled, '#'),
             std::string(width - filled, ' '), sent * 100 / total, human_size(sent),
             human_size(total));
  std::fflush(stream_);
  bar_shown_ = true;
}

void UploadConsole::clear_bar() {
  if (!bar_shown_) return;
  fmt::print(stream_, "\r\033[K");
  bar_shown_ = false;
}

}  // namespace dp::pypi
