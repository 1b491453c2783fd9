#include "docker/dockerignore.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <sstream>

#include "docker/build_context.hpp"
#include "text/text.hpp"

namespace dp::docker {
namespace {

using text::trim;

// Drops "./" segments, duplicate and leading/trailing slashes, as Docker cleans patterns.
std::string clean(std::string_view pattern) {
  std::string cleaned;
  std::size_t start = 0;
  while (start <= pattern.size()) {
    auto end = pattern.find('/', start);
    if (end == std::string_view::npos) end = pattern.size();
    const auto segment = pattern.substr(start, end - start);
    if (!segment.empty() && segment != ".") {
      if (!cleaned.empty()) cleaned += '/';
      cleaned += segment;
    }
    start = end + 1;
  }
  return cleaned;
}

std::regex to_regex(const std::string& pattern) {
  std::string re;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '*' && i + 1 < pattern.size() && pattern[i + 1] == '*') {
      ++i;
      // "**/" also matches no directory at all.
      if (i + 1 < pattern.size() && pattern[i + 1] == '/') {
        ++i;
        re += "(.*/)?";
      } else {
        re += ".*";
      }
    } else if (c == '*') {
      re += "[^/]*";
    } else if (c == '?') {
      re += "[^/]";
    } else if (c == '[') {
      const auto close = pattern.find(']', i + 1);
      if (close == std::string::npos) {
        re += "\\[";
      } else {
        std::string set = pattern.substr(i + 1, close - i - 1);
        if (!set.empty() && set[0] == '!') set[0] = '^';
        re += '[' + set + ']';
        i = close;
      }
    } else if (c == '\\' && i + 1 < pattern.size()) {
      re += '\\';
      re += pattern[++i];
    } else if (std::string_view(".^$+(){}|").find(c) != std::string_view::npos) {
      re += '\\';
      re += c;
    } else {
      re += c;
    }
  }
  // Matching a directory matches what it contains.
  return std::regex(re + "(/.*)?", std::regex::ECMAScript | std::regex::optimize);
}

}  // namespace

DockerIgnore::DockerIgnore(std::string_view file_content) {
  std::istringstream lines{std::string(file_content)};
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::string pattern{trim(line)};
    if (pattern.empty() || pattern[0] == '#') continue;
    bool exception = false;
    if (pattern[0] == '!') {
      exception = true;
      pattern = std::string{trim(std::string_view{pattern}.substr(1))};
    }
    pattern = clean(pattern);
    if (pattern.empty()) continue;
    try {
      rules_.push_back({to_regex(pattern), exception});
    } catch (const std::regex_error&) {
      // A set Go's filepath.Match would refuse too, such as "[z-a]": docker build stops on it.
      throw ContextError(
          fmt::format(".dockerignore line {}: {} is not a valid pattern", number, pattern));
    }
  }
}

bool DockerIgnore::excludes(std::string_view path) const {
  bool excluded = false;
  const std::string subject(path);
  for (const auto& rule : rules_) {
    if (std::regex_match(subject, rule.pattern)) excluded = !rule.exception;
  }
  return excluded;
}

bool DockerIgnore::has_exceptions() const {
  return std::any_of(rules_.begin(), rules_.end(), [](const Rule& rule) { return rule.exception; });
}

}  // namespace dp::docker
