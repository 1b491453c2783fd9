#include "docker/dockerignore.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <stdexcept>

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

// A set's content ("a-z0-9", "!abc") as ranges; nullopt when it is not valid ("z-a"), which
// docker build refuses too.
std::optional<DockerIgnore::Token> parse_set(std::string_view set) {
  DockerIgnore::Token token{DockerIgnore::Token::Kind::set};
  if (!set.empty() && (set[0] == '!' || set[0] == '^')) {
    token.negated = true;
    set.remove_prefix(1);
  }
  const auto next = [&]() -> std::optional<char> {
    if (set.front() == '\\') {
      set.remove_prefix(1);
      if (set.empty()) return std::nullopt;
    }
    const char c = set.front();
    set.remove_prefix(1);
    return c;
  };
  while (!set.empty()) {
    const auto low = next();
    if (!low) return std::nullopt;
    char high = *low;
    if (set.size() >= 2 && set[0] == '-') {
      set.remove_prefix(1);
      const auto end = next();
      if (!end || static_cast<unsigned char>(*end) < static_cast<unsigned char>(*low)) {
        return std::nullopt;
      }
      high = *end;
    }
    token.ranges.emplace_back(*low, high);
  }
  return token;
}

// Where the set opened at `open` ends: its first ']' that no backslash escapes.
std::size_t set_end(std::string_view pattern, std::size_t open) {
  for (std::size_t i = open + 1; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
    } else if (pattern[i] == ']') {
      return i;
    }
  }
  return std::string_view::npos;
}

// Throws std::invalid_argument for a set that is not valid, or a trailing backslash (as Go's
// filepath.Match refuses them).
std::vector<DockerIgnore::Token> compile(std::string_view pattern) {
  using Kind = DockerIgnore::Token::Kind;
  std::vector<DockerIgnore::Token> tokens;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '*' && i + 1 < pattern.size() && pattern[i + 1] == '*') {
      ++i;
      // "**/" also matches no directory at all.
      const bool dirs = i + 1 < pattern.size() && pattern[i + 1] == '/';
      if (dirs) ++i;
      tokens.emplace_back(dirs ? Kind::dirs : Kind::any);
    } else if (c == '*') {
      tokens.emplace_back(Kind::star);
    } else if (c == '?') {
      tokens.emplace_back(Kind::one);
    } else if (const auto close = c == '[' ? set_end(pattern, i) : std::string_view::npos;
               close != std::string_view::npos) {
      auto set = parse_set(pattern.substr(i + 1, close - i - 1));
      if (!set) throw std::invalid_argument("not a valid set");
      tokens.push_back(std::move(*set));
      i = close;
    } else {
      if (c == '\\' && ++i == pattern.size()) throw std::invalid_argument("a trailing backslash");
      tokens.emplace_back(Kind::literal, pattern[i]);
    }
  }
  return tokens;
}

bool in_set(const DockerIgnore::Token& set, char c) {
  const auto inside = std::any_of(set.ranges.begin(), set.ranges.end(), [&](const auto& range) {
    const auto u = static_cast<unsigned char>(c);
    return static_cast<unsigned char>(range.first) <= u &&
           u <= static_cast<unsigned char>(range.second);
  });
  return inside != set.negated;
}

// Runs the pattern as a nondeterministic automaton over the path: state i is "the first i tokens
// matched", state n the whole pattern, and state n + 1 "the whole pattern, then '/' and anything"
// (a folder the pattern matches holds what is below it). `**/` is (.*/)?: from its state the path
// goes on either past it at once, or through `inside` it until a '/' ends it.
bool matches(const std::vector<DockerIgnore::Token>& pattern, std::string_view path) {
  using Kind = DockerIgnore::Token::Kind;
  const std::size_t n = pattern.size();
  std::vector<char> states(n + 2, 0), next(n + 2, 0), inside(n, 0), inside_next(n, 0);
  // `*`, `**` and `**/` may match nothing: a state at one of them is also at the token after.
  const auto close = [&](std::vector<char>& at) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto kind = pattern[i].kind;
      if (at[i] && (kind == Kind::star || kind == Kind::any || kind == Kind::dirs)) at[i + 1] = 1;
    }
  };
  states[0] = 1;
  close(states);
  for (const char c : path) {
    std::fill(next.begin(), next.end(), 0);
    std::fill(inside_next.begin(), inside_next.end(), 0);
    bool alive = false;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& token = pattern[i];
      if (!states[i] && !(token.kind == Kind::dirs && inside[i])) continue;
      switch (token.kind) {
        case Kind::literal:
          if (c == token.literal) next[i + 1] = 1;
          break;
        case Kind::one:
          if (c != '/') next[i + 1] = 1;
          break;
        case Kind::set:
          if (in_set(token, c)) next[i + 1] = 1;
          break;
        case Kind::star:
          if (c != '/') next[i] = 1;
          break;
        case Kind::any:
          next[i] = 1;
          break;
        case Kind::dirs:
          inside_next[i] = 1;
          alive = true;
          if (c == '/') next[i + 1] = 1;
          break;
      }
    }
    if ((states[n] && c == '/') || states[n + 1]) next[n + 1] = 1;
    close(next);
    states.swap(next);
    inside.swap(inside_next);
    alive = alive || std::any_of(states.begin(), states.end(), [](char on) { return on != 0; });
    if (!alive) return false;
  }
  return states[n] || states[n + 1];
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
      rules_.push_back({compile(pattern), exception});
    } catch (const std::invalid_argument&) {
      // A set Go's filepath.Match would refuse too, such as "[z-a]": docker build stops on it.
      throw ContextError(
          fmt::format(".dockerignore line {}: {} is not a valid pattern", number, pattern));
    }
  }
}

bool DockerIgnore::excludes(std::string_view path) const {
  bool excluded = false;
  for (const auto& rule : rules_) {
    if (matches(rule.pattern, path)) excluded = !rule.exception;
  }
  return excluded;
}

bool DockerIgnore::has_exceptions() const {
  return std::any_of(rules_.begin(), rules_.end(), [](const Rule& rule) { return rule.exception; });
}

}  // namespace dp::docker
