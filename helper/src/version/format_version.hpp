#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dp::version {

// A "<major>.<minor>" version of a file format: core metadata's Metadata-Version, a wheel's
// Wheel-Version, the simple API's api-version.
struct FormatVersion {
  unsigned major = 0;
  unsigned minor = 0;

  auto operator<=>(const FormatVersion&) const = default;
};

// "2.5" -> {2, 5}; nothing unless it is two dot-separated decimal numbers.
std::optional<FormatVersion> parse_format_version(std::string_view text);

// How a reader that knows formats up to `newest_known` treats a file of another version. The
// specifications of all three formats say the same: a newer minor version is read with a
// warning (its additions are unknown to the reader, the rest means what it meant), a newer
// major version may mean something else and is refused.
enum class FormatSupport {
  known,        // not newer than newest_known (whether that exact version exists is the caller's)
  newer_minor,  // same major, newer minor: warn and read it as newest_known
  newer_major,  // refuse
  malformed     // not "<major>.<minor>"
};

FormatSupport format_support(std::string_view text, FormatVersion newest_known);

std::string to_string(FormatVersion version);

}  // namespace dp::version
