#include "version/semver.hpp"

#include <fmt/core.h>

#include <cctype>
#include <compare>

namespace dp::version {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
// SemVer identifiers are [0-9A-Za-z-]: ASCII only, whatever the locale.
bool is_identifier_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
bool is_numeric(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string describe_char(char c) {
  if (std::isprint(static_cast<unsigned char>(c))) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", static_cast<unsigned char>(c));
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  SemVer parse() {
    if (text_.empty()) fail("empty version string");
    SemVer v;
    v.major = number("major version");
    expect('.', "after the major version");
    v.minor = number("minor version");
    expect('.', "after the minor version");
    v.patch = number("patch version");
    if (peek() == '-') {
      ++pos_;
      v.prerelease = identifiers("pre-release", true);
    }
    if (peek() == '+') {
      ++pos_;
      v.build = identifiers("build metadata", false);
    }
    if (pos_ < text_.size())
      fail(fmt::format("unexpected {} at position {}", describe_char(peek()), pos_));
    return v;
  }

 private:
  std::string number(std::string_view what) {
    const auto start = pos_;
    while (is_digit(peek())) ++pos_;
    if (pos_ == start) fail(expected(fmt::format("the {}", what)));
    if (pos_ - start > 1 && text_[start] == '0') {
      fail(fmt::format("leading zero in the {} at position {}", what, start));
    }
    return std::string{text_.substr(start, pos_ - start)};
  }

  std::vector<std::string> identifiers(std::string_view what, bool numeric_without_zeros) {
    std::vector<std::string> result;
    do {
      if (!result.empty()) ++pos_;  // the '.' between identifiers
      const auto start = pos_;
      while (is_identifier_char(peek())) ++pos_;
      const auto identifier = text_.substr(start, pos_ - start);
      if (identifier.empty()) fail(expected(fmt::format("a {} identifier", what)));
      if (numeric_without_zeros && is_numeric(identifier) && identifier.size() > 1 &&
          identifier.front() == '0') {
        fail(fmt::format("leading zero in numeric {} identifier '{}' at position {}", what,
                         identifier, start));
      }
      result.emplace_back(identifier);
    } while (peek() == '.');
    return result;
  }

  void expect(char c, std::string_view where) {
    if (peek() != c) fail(expected(fmt::format("'{}' {}", c, where)));
    ++pos_;
  }

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  std::string expected(std::string_view what) const {
    if (pos_ >= text_.size()) return fmt::format("expected {} at position {}", what, pos_);
    return fmt::format("expected {} at position {}, found {}", what, pos_, describe_char(peek()));
  }

  [[noreturn]] void fail(std::string_view reason) const {
    throw VersionError(fmt::format("invalid semantic version '{}': {}", text_, reason));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// Digit strings without leading zeros compare by length first, then digit by digit.
std::strong_ordering compare_numbers(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() <=> b.size();
  return a.compare(b) <=> 0;
}

std::strong_ordering compare_identifiers(std::string_view a, std::string_view b) {
  const bool a_numeric = is_numeric(a);
  const bool b_numeric = is_numeric(b);
  if (a_numeric && b_numeric) return compare_numbers(a, b);
  if (a_numeric != b_numeric) return b_numeric <=> a_numeric;  // numeric ones come first
  return a.compare(b) <=> 0;
}

// A release (no identifiers) after its pre-releases; otherwise identifier by identifier, and a
// longer list after its prefix.
std::strong_ordering compare_prerelease(const std::vector<std::string>& a,
                                        const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return a.empty() <=> b.empty();
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (const auto order = compare_identifiers(a[i], b[i]); order != 0) return order;
  }
  return a.size() <=> b.size();
}

std::string join(const std::vector<std::string>& parts) {
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : ".") + part;
  return text;
}

}  // namespace

SemVer parse_semver(std::string_view text) {
  return Parser{text}.parse();
}

std::string to_string(const SemVer& v) {
  auto text = fmt::format("{}.{}.{}", v.major, v.minor, v.patch);
  if (!v.prerelease.empty()) text += "-" + join(v.prerelease);
  if (!v.build.empty()) text += "+" + join(v.build);
  return text;
}

int compare(const SemVer& a, const SemVer& b) {
  for (const auto order :
       {compare_numbers(a.major, b.major), compare_numbers(a.minor, b.minor),
        compare_numbers(a.patch, b.patch), compare_prerelease(a.prerelease, b.prerelease)}) {
    if (order < 0) return -1;
    if (order > 0) return 1;
  }
  return 0;
}

SemVer to_semver(const Version& v) {
  const auto text = to_string(v);
  const auto fail = [&text](std::string_view reason) {
    throw VersionError(fmt::format("version '{}' has no SemVer equivalent: {}", text, reason));
  };
  if (v.epoch != 0) fail("SemVer has no epochs");
  for (std::size_t i = 3; i < v.release.size(); ++i) {
    if (v.release[i] != 0) fail("SemVer has three release numbers, not more");
  }
  if (v.post) fail("SemVer has no post-releases");
  if (v.dev) fail("SemVer has no developmental releases that sort before pre-releases");
  SemVer result;
  const auto release = [&v](std::size_t i) {
    return std::to_string(i < v.release.size() ? v.release[i] : 0);
  };
  result.major = release(0);
  result.minor = release(1);
  result.patch = release(2);
  if (v.pre) {
    const auto& phase = v.pre->first;
    result.prerelease = {phase == "a"   ? "alpha"
                         : phase == "b" ? "beta"
                                        : "rc",
                         std::to_string(v.pre->second)};
  }
  result.build = v.local;
  return result;
}

SemVer to_semver(std::string_view text) {
  try {
    return parse_semver(text);
  } catch (const VersionError& semver_error) {
    Version pep440;
    try {
      pep440 = parse(text);
    } catch (const VersionError&) {
      throw semver_error;
    }
    return to_semver(pep440);
  }
}

}  // namespace dp::version
