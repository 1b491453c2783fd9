// parse(): a hand-written scanner for the grammar of packaging's VERSION_PATTERN. The regex is
// greedy and a greedy single pass accepts exactly what it accepts (no choice it makes can be undone
// by backtracking into a match), while knowing where the text stops being a version.
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

#include "version/pep440.hpp"

namespace dp::version {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_separator(char c) {
  return c == '.' || c == '-' || c == '_';
}

// The UTF-8 encodings of what Python's str.isspace() (and so packaging's `\s`) calls whitespace
// beyond ASCII: U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
constexpr std::array<std::string_view, 19> kUnicodeSpaces = {
    "\xc2\x85",     "\xc2\xa0",     "\xe1\x9a\x80", "\xe2\x80\x80", "\xe2\x80\x81",
    "\xe2\x80\x82", "\xe2\x80\x83", "\xe2\x80\x84", "\xe2\x80\x85", "\xe2\x80\x86",
    "\xe2\x80\x87", "\xe2\x80\x88", "\xe2\x80\x89", "\xe2\x80\x8a", "\xe2\x80\xa8",
    "\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80",
};

// The length in bytes of the whitespace character that `text` starts with, or 0.
std::size_t space_length(std::string_view text) {
  if (text.empty()) return 0;
  const auto c = static_cast<unsigned char>(text.front());
  // ASCII \t \n \v \f \r, the separators \x1c..\x1f and ' ', as str.isspace() has them.
  if ((c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20)) return 1;
  for (const auto space : kUnicodeSpaces) {
    if (text.substr(0, space.size()) == space) return space.size();
  }
  return 0;
}
char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::string describe_char(char c) {
  if (std::isprint(static_cast<unsigned char>(c))) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", static_cast<unsigned char>(c));
}

std::string strip_leading_zeros(std::string digits) {
  const auto first_nonzero = digits.find_first_not_of('0');
  return first_nonzero == std::string::npos ? "0" : digits.substr(first_nonzero);
}

// Spellings in the order the regex tries them, so a longer word wins over its prefix.
struct Spelling {
  std::string_view word;
  std::string_view canonical;
};
constexpr std::array kPreSpellings = {
    Spelling{"alpha", "a"},    Spelling{"a", "a"},    Spelling{"beta", "b"}, Spelling{"b", "b"},
    Spelling{"preview", "rc"}, Spelling{"pre", "rc"}, Spelling{"c", "rc"},   Spelling{"rc", "rc"},
};
constexpr std::array<std::string_view, 3> kPostSpellings = {"post", "rev", "r"};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Version parse() {
    Version version;
    skip_spaces();
    if (at_end()) fail("empty version string");
    if (lower(peek()) == 'v') ++pos_;
    parse_epoch_and_release(version);
    parse_pre(version);
    parse_post(version);
    parse_dev(version);
    parse_local(version);
    skip_spaces();
    if (!at_end()) fail_unexpected();
    return version;
  }

 private:
  void parse_epoch_and_release(Version& version) {
    const auto first = expect_number("a release number");
    if (peek() == '!') {
      ++pos_;
      version.epoch = first;
      version.release.push_back(expect_number("a release number after the epoch"));
    } else {
      version.release.push_back(first);
    }
    while (peek() == '.' && is_digit(peek(1))) {
      ++pos_;
      version.release.push_back(*number());
    }
  }

  void parse_pre(Version& version) {
    const auto start = pos_;
    skip_separator();
    for (const auto& spelling : kPreSpellings) {
      if (consume_word(spelling.word)) {
        skip_separator();
        version.pre.emplace(std::string{spelling.canonical}, number().value_or(0));
        return;
      }
    }
    pos_ = start;
  }

  void parse_post(Version& version) {
    const auto start = pos_;
    if (peek() == '-' && is_digit(peek(1))) {  // the implicit spelling: 1.0-1
      ++pos_;
      version.post = number();
      return;
    }
    skip_separator();
    for (const auto word : kPostSpellings) {
      if (consume_word(word)) {
        skip_separator();
        version.post = number().value_or(0);
        return;
      }
    }
    pos_ = start;
  }

  void parse_dev(Version& version) {
    const auto start = pos_;
    skip_separator();
    if (consume_word("dev")) {
      skip_separator();
      version.dev = number().value_or(0);
      return;
    }
    pos_ = start;
  }

  void parse_local(Version& version) {
    if (peek() != '+') return;
    ++pos_;
    if (!is_alnum(peek())) fail(expected_message("a local version label after '+'"));
    version.local.push_back(local_segment());
    while (is_separator(peek()) && is_alnum(peek(1))) {
      ++pos_;
      version.local.push_back(local_segment());
    }
  }

  std::string local_segment() {
    std::string segment;
    while (is_alnum(peek())) segment += lower(text_[pos_++]);
    const bool numeric = segment.find_first_not_of("0123456789") == std::string::npos;
    return numeric ? strip_leading_zeros(std::move(segment)) : segment;
  }

  std::optional<std::uint64_t> number() {
    const auto start = pos_;
    std::uint64_t value = 0;
    constexpr auto kMax = std::numeric_limits<std::uint64_t>::max();
    while (is_digit(peek())) {
      const auto digit = static_cast<std::uint64_t>(text_[pos_] - '0');
      if (value > (kMax - digit) / 10) fail(fmt::format("number too large at position {}", start));
      value = value * 10 + digit;
      ++pos_;
    }
    if (pos_ == start) return std::nullopt;
    return value;
  }

  std::uint64_t expect_number(std::string_view what) {
    const auto value = number();
    if (!value) fail(expected_message(what));
    return *value;
  }

  bool consume_word(std::string_view word) {
    if (text_.size() - pos_ < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (lower(text_[pos_ + i]) != word[i]) return false;
    }
    pos_ += word.size();
    return true;
  }

  void skip_separator() {
    if (is_separator(peek())) ++pos_;
  }
  void skip_spaces() {
    while (const auto length = space_length(text_.substr(std::min(pos_, text_.size())))) {
      pos_ += length;
    }
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  std::string expected_message(std::string_view what) const {
    if (at_end()) return fmt::format("expected {} at position {}", what, pos_);
    return fmt::format("expected {} at position {}, found {}", what, pos_, describe_char(peek()));
  }

  [[noreturn]] void fail_unexpected() const {
    fail(fmt::format("unexpected {} at position {}", describe_char(peek()), pos_));
  }

  [[noreturn]] void fail(std::string_view reason) const {
    throw VersionError(fmt::format("invalid version '{}': {}", text_, reason));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

Version parse(std::string_view text) {
  return Parser{text}.parse();
}

}  // namespace dp::version
