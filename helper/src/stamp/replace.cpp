#include "stamp/replace.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "stamp/stamp.hpp"

namespace dp::stamp {

void check_stampable(const std::filesystem::path& path, std::string_view version) {
  const bool stampable =
      !version.empty() && std::all_of(version.begin(), version.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '.' || c == '!' || c == '+' || c == '-' || c == '_';
      });
  if (!stampable) {
    throw StampError(fmt::format("{}: cannot stamp '{}': not a version", path.string(), version));
  }
}

std::string replace_spans(std::string_view content, std::vector<ValueSpan> spans,
                          std::string_view replacement) {
  std::sort(spans.begin(), spans.end(),
            [](const ValueSpan& a, const ValueSpan& b) { return a.begin < b.begin; });
  std::string result;
  result.reserve(content.size() + spans.size() * replacement.size());
  std::size_t copied = 0;
  for (const auto& span : spans) {
    result.append(content.substr(copied, span.begin - copied));
    result.append(replacement);
    copied = span.end;
  }
  result.append(content.substr(copied));
  return result;
}

}  // namespace dp::stamp
