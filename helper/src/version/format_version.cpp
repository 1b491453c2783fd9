#include "version/format_version.hpp"

#include <fmt/core.h>

#include <charconv>

namespace dp::version {
namespace {

// A decimal number, all of `text`; no sign, no spaces.
std::optional<unsigned> number(std::string_view text) {
  unsigned value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc{} || stop != end) return std::nullopt;
  return value;
}

}  // namespace

std::optional<FormatVersion> parse_format_version(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto major = number(text.substr(0, dot));
  const auto minor = number(text.substr(dot + 1));
  if (!major || !minor) return std::nullopt;
  return FormatVersion{*major, *minor};
}

FormatSupport format_support(std::string_view text, FormatVersion newest_known) {
  const auto version = parse_format_version(text);
  if (!version) return FormatSupport::malformed;
  if (version->major > newest_known.major) return FormatSupport::newer_major;
  if (version->major == newest_known.major && version->minor > newest_known.minor) {
    return FormatSupport::newer_minor;
  }
  return FormatSupport::known;
}

std::string to_string(FormatVersion version) {
  return fmt::format("{}.{}", version.major, version.minor);
}

}  // namespace dp::version
