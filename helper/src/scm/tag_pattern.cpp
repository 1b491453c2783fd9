#include "scm/tag_pattern.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "scm/git_version.hpp"
#include "text/text.hpp"

namespace dp::scm {
namespace {

struct Translated {
  std::string ecmascript;
  std::size_t version_group = 0;  // of the group named "version"; 0 when there is none
  std::size_t groups = 0;
};

// std::regex has no named groups: (?P<name>...) becomes (...), and the number of the one named
// "version" is kept. Escapes and bracket expressions are copied as they are.
Translated translate(std::string_view pattern) {
  Translated result;
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      result.ecmascript += pattern.substr(i, 2);
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
      if (pattern.substr(i + 1).starts_with("]") || pattern.substr(i + 1).starts_with("^]")) {
        const auto width = pattern[i + 1] == ']' ? 2 : 3;  // a leading ']' is a literal
        result.ecmascript += pattern.substr(i, width);
        i += width - 1;
        continue;
      }
    } else if (c == '(' && !pattern.substr(i + 1).starts_with("?")) {
      ++result.groups;
    } else if (c == '(' && pattern.substr(i + 1).starts_with("?P<")) {
      const auto close = pattern.find('>', i + 3);
      if (close != std::string_view::npos) {
        ++result.groups;
        if (pattern.substr(i + 4, close - i - 4) == "version") result.version_group = result.groups;
        result.ecmascript += '(';
        i = close;
        continue;
      }
    }
    result.ecmascript += c;
  }
  return result;
}

}  // namespace

TagPattern::TagPattern(std::string_view regex) : source_(regex.empty() ? kDefaultTagRegex : regex) {
  const auto translated = translate(source_);
  try {
    regex_ = std::regex(translated.ecmascript, std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    throw ScmError(fmt::format("invalid tag regex '{}': {}", source_, error.what()));
  }
  group_ = translated.version_group != 0 ? translated.version_group
                                         : std::min<std::size_t>(regex_.mark_count(), 1);
}

std::optional<version::Version> TagPattern::version_of(std::string_view tag) const {
  std::match_results<std::string_view::const_iterator> match;
  // Python's re.match: anchored at the start only.
  if (!text::fits_regex(tag) || !std::regex_search(tag.begin(), tag.end(), match, regex_,
                                                   std::regex_constants::match_continuous)) {
    return std::nullopt;
  }
  if (!match[group_].matched || match.length(group_) == 0) return std::nullopt;
  const auto version = match.str(group_);
  const auto suffix = std::string(match[group_].second, match[0].second);
  try {
    auto parsed = version::parse(version);
    if (!suffix.empty()) {
      try {
        return version::parse(version + suffix);
      } catch (const version::VersionError&) {
      }
    }
    return parsed;
  } catch (const version::VersionError&) {
    return std::nullopt;
  }
}

}  // namespace dp::scm
