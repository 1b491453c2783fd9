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

}  // namespace dp::pypi
