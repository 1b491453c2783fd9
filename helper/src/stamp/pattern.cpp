#include "stamp/pattern.hpp"

#include <fmt/core.h>

#include <regex>
#include <vector>

#include "stamp/locators.hpp"
#include "stamp/replace.hpp"
#include "stamp/stamp.hpp"

namespace dp::stamp {
namespace {

std::regex compile(const std::string& pattern) {
  std::regex regex;
  try {
    regex.assign(pattern, std::regex::ECMAScript | std::regex::multiline);
  } catch (const std::regex_error& e) {
    throw StampError(
        fmt::format("--pattern '{}': not a valid regular expression: {}", pattern, e.what()));
  }
  if (regex.mark_count() != 1) {
    throw StampError(fmt::format(
        "--pattern '{}': has {} capture groups; it needs exactly one, around the version value "
        "(write other groups as (?:...))",
        pattern, regex.mark_count()));
  }
  return regex;
}

std::vector<ValueSpan> group_spans(const std::filesystem::path& path, std::string_view content,
                                   const std::regex& regex, const std::string& pattern) {
  std::vector<ValueSpan> spans;
  using Iterator = std::regex_iterator<std::string_view::const_iterator>;
  for (Iterator match{content.begin(), content.end(), regex}; match != Iterator{}; ++match) {
    if (!(*match)[1].matched) {
      throw StampError(
          fmt::format("{}: --pattern '{}' matched '{}' without its group; make the group "
                      "required",
                      path.string(), pattern, match->str()));
    }
    const auto begin = static_cast<std::size_t>(match->position(1));
    spans.push_back({begin, begin + static_cast<std::size_t>(match->length(1))});
  }
  return spans;
}

}  // namespace

std::vector<ValueSpan> locate_with_pattern(const std::filesystem::path& path,
                                           std::string_view content, std::string_view version,
                                           const std::string& pattern) {
  check_stampable(path, version);
  const auto regex = compile(pattern);
  const auto spans = group_spans(path, content, regex, pattern);
  if (spans.empty()) {
    throw StampError(fmt::format("{}: --pattern '{}' matches nothing; no version field to stamp",
                                 path.string(), pattern));
  }
  // A group that captures part of the value (`(\d+)` of 1.2.3) would grow the value on every run,
  // and a pattern that spells out the old value would not find the new one.
  const auto stamped = replace_spans(content, spans, version);
  const auto again = group_spans(path, stamped, regex, pattern);
  if (again.empty() || replace_spans(stamped, again, version) != stamped) {
    throw StampError(fmt::format(
        "{}: --pattern '{}' must capture the whole version, whatever it is (stamping twice would "
        "not give what stamping once does); widen its group, e.g. ([^\"'\\s]+)",
        path.string(), pattern));
  }
  return spans;
}

std::string stamp_with_pattern(const std::filesystem::path& path, std::string_view content,
                               std::string_view version, const std::string& pattern) {
  return replace_spans(content, locate_with_pattern(path, content, version, pattern), version);
}

}  // namespace dp::stamp
