#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

// Small string helpers the components share.
namespace dp::text {

inline constexpr std::string_view kWhitespace = " \t\r\n\v\f";

// `text` without the leading and trailing characters found in `characters`.
inline std::string_view trim(std::string_view text, std::string_view characters = kWhitespace) {
  const auto first = text.find_first_not_of(characters);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(characters) - first + 1);
}

// The lines of `text`, split at '\n', a '\r' before it dropped; no line after a final '\n'.
inline std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    auto line = text.substr(0, eol);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (eol == std::string_view::npos) break;
    text.remove_prefix(eol + 1);
  }
  return lines;
}

// std::regex (libstdc++'s) recurses about once per character it matches, so a text of some
// thousands of characters overflows the stack (4096 did under the sanitizers). No regex runs over
// outside text longer than this: what is longer does not match.
inline constexpr std::size_t kRegexTextMax = 1024;
inline bool fits_regex(std::string_view text) {
  return text.size() <= kRegexTextMax;
}

// ASCII lower case (HTTP header names, index answers, INI keys).
inline std::string lowercase(std::string_view text) {
  std::string result{text};
  for (auto& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

}  // namespace dp::text
