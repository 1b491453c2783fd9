#include "pypi/upload/upload_lines.hpp"

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

std::string progress_line(std::string_view file, std::uintmax_t sent, std::uintmax_t total) {
  constexpr std::size_t width = 30;
  const auto filled =
      total == 0 ? width
                 : static_cast<std::size_t>(static_cast<double>(width) * static_cast<double>(sent) /
                                            static_cast<double>(total));
  const std::string name =
      file.size() > 40 ? std::string{file.substr(0, 37)} + "..." : std::string{file};
  return fmt::format("{:<40} [{}{}] {:>3}% {} / {}", name, std::string(filled, '#'),
                     std::string(width - filled, ' '), total == 0 ? 100 : sent * 100 / total,
                     human_size(sent), human_size(total));
}

}  // namespace dp::pypi
