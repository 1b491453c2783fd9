// Finds version assignments in Python source without running it: a small scanner that knows
// enough of Python's lexical rules (comments, string literals and their prefixes) not to be fooled
// by `version=` inside a comment or a string.
#include <fmt/core.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "stamp/locators.hpp"
#include "stamp/stamp.hpp"
#include "text/text.hpp"

namespace dp::stamp {
namespace {

bool is_identifier_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_identifier_char(char c) {
  return is_identifier_start(c) || (c >= '0' && c <= '9');
}
bool is_quote(char c) {
  return c == '\'' || c == '"';
}

bool is_string_prefix(std::string_view word) {
  if (word.size() > 2) return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return std::string_view{"rRbBuUfF"}.find(c) != std::string_view::npos;
  });
}

// A prefix that leaves the literal a plain str whose text is its value.
bool is_plain_str_prefix(std::string_view word) {
  return word.empty() || word == "u" || word == "U" || word == "r" || word == "R";
}

// One `NAME = value` (or keyword argument) found in the source.
struct Assignment {
  std::size_t line = 0;
  std::optional<ValueSpan> literal;  // set when the value is a plain one-line string literal
  std::string value_text;            // the value as written, for messages
  std::string constant;              // set when the value is a bare name (version=VERSION)
};

class PythonScanner {
 public:
  explicit PythonScanner(std::string_view source) : source_(source) {}

  std::vector<Assignment> assignments_to(const std::set<std::string, std::less<>>& names) {
    std::vector<Assignment> found;
    pos_ = 0;
    char previous = '\n';  // the last significant character; '\n' at a statement's start
    while (pos_ < source_.size()) {
      const char c = source_[pos_];
      if (c == '#') {
        skip_to_line_end();
      } else if (is_quote(c)) {
        skip_string(pos_);
        previous = '"';
      } else if (is_identifier_start(c)) {
        const auto word = identifier_at(pos_);
        const auto after = pos_ + word.size();
        if (is_string_prefix(word) && after < source_.size() && is_quote(source_[after])) {
          skip_string(after);
          previous = '"';
          continue;
        }
        if (names.contains(word) && previous != '.') {
          if (auto assignment = match_assignment(after, previous == '\n' || previous == ';')) {
            found.push_back(std::move(*assignment));
          }
        }
        pos_ = after;
        previous = 'a';
      } else {
        if (c == '\n' || (c != ' ' && c != '\t' && c != '\r' && c != '\\')) previous = c;
        ++pos_;
      }
    }
    return found;
  }

 private:
  // After NAME at `pos`: [: annotation] = [other =]* value
  std::optional<Assignment> match_assignment(std::size_t pos, bool at_statement_start) const {
    pos = skip_spaces(pos);
    if (at(pos) == ':' && at(pos + 1) != '=' && at_statement_start) {
      while (pos < source_.size() && at(pos) != '=' && at(pos) != '\n' && at(pos) != '#') ++pos;
    }
    if (at(pos) != '=' || at(pos + 1) == '=') return std::nullopt;
    pos = skip_spaces(pos + 1);
    // Chained targets: __version__ = version = '1.0'
    while (is_identifier_start(at(pos))) {
      const auto word = identifier_at(pos);
      const auto next = skip_spaces(pos + word.size());
      if (at(next) != '=' || at(next + 1) == '=') break;
      pos = skip_spaces(next + 1);
    }
    Assignment assignment;
    assignment.line = line_of(pos);
    assignment.value_text = value_text_at(pos);
    assignment.literal = literal_at(pos);
    if (!assignment.literal && is_identifier_start(at(pos))) {
      const auto word = identifier_at(pos);
      if (ends_value(pos + word.size())) assignment.constant = std::string{word};
    }
    return assignment;
  }

  // A plain one-line string literal that is the whole value: not '1.' + x, not f'{x}'.
  std::optional<ValueSpan> literal_at(std::size_t pos) const {
    std::size_t prefix = 0;
    while (prefix < 2 && is_identifier_start(at(pos + prefix)) && !is_quote(at(pos + prefix))) {
      ++prefix;
    }
    if (!is_quote(at(pos + prefix)) || !is_plain_str_prefix(source_.substr(pos, prefix))) {
      return std::nullopt;
    }
    const auto open = pos + prefix;
    const char quote = source_[open];
    if (at(open + 1) == quote && at(open + 2) == quote) return std::nullopt;  // triple-quoted
    auto close = open + 1;
    while (close < source_.size() && source_[close] != quote) {
      if (source_[close] == '\\' || source_[close] == '\n') return std::nullopt;
      ++close;
    }
    if (close >= source_.size() || !ends_value(close + 1)) return std::nullopt;
    return ValueSpan{open + 1, close};
  }

  // Whether the value ends at `pos`: what follows is the end of the statement or argument.
  bool ends_value(std::size_t pos) const {
    while (at(pos) == ' ' || at(pos) == '\t') ++pos;
    return pos >= source_.size() ||
           std::string_view{",)};#\r\n"}.find(at(pos)) != std::string_view::npos;
  }

  void skip_string(std::size_t open) {
    const char quote = source_[open];
    const bool triple = at(open + 1) == quote && at(open + 2) == quote;
    auto pos = open + (triple ? 3 : 1);
    while (pos < source_.size()) {
      const char c = source_[pos];
      if (c == '\\') {
        pos += 2;
      } else if (c == quote && (!triple || (at(pos + 1) == quote && at(pos + 2) == quote))) {
        pos += triple ? 3 : 1;
        break;
      } else if (c == '\n' && !triple) {
        break;  // unterminated: let the scanner go on with the next line
      } else {
        ++pos;
      }
    }
    pos_ = std::min(pos, source_.size());
  }

  void skip_to_line_end() {
    const auto eol = source_.find('\n', pos_);
    pos_ = eol == std::string_view::npos ? source_.size() : eol;
  }

  // Spaces, tabs, newlines and line continuations between the tokens of an assignment.
  std::size_t skip_spaces(std::size_t pos) const {
    while (pos < source_.size()) {
      const char c = source_[pos];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
        ++pos;
      } else if (c == '\\' && (at(pos + 1) == '\n' || at(pos + 1) == '\r')) {
        ++pos;
      } else {
        break;
      }
    }
    return pos;
  }

  std::string_view identifier_at(std::size_t pos) const {
    auto end = pos;
    while (end < source_.size() && is_identifier_char(source_[end])) ++end;
    return source_.substr(pos, end - pos);
  }

  std::string value_text_at(std::size_t pos) const {
    auto end = source_.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = source_.size();
    constexpr std::size_t kMaxShown = 60;
    auto text = std::string{source_.substr(pos, std::min(end - pos, kMaxShown))};
    while (!text.empty() && (text.back() == ' ' || text.back() == ',')) text.pop_back();
    return text;
  }

  // Where the lines start is found once: counting from the start for each assignment took
  // quadratic time on a file of many.
  std::size_t line_of(std::size_t pos) const {
    if (newlines_.empty()) {
      for (std::size_t i = source_.find('\n'); i != std::string_view::npos;
           i = source_.find('\n', i + 1)) {
        newlines_.push_back(i);
      }
      newlines_.push_back(std::string_view::npos);  // found once, even with no newline
    }
    return 1 + static_cast<std::size_t>(std::lower_bound(newlines_.begin(), newlines_.end(), pos) -
                                        newlines_.begin());
  }

  char at(std::size_t pos) const { return pos < source_.size() ? source_[pos] : '\0'; }

  std::string_view source_;
  mutable std::vector<std::size_t> newlines_;  // offsets of '\n', then npos
  std::size_t pos_ = 0;
};

std::string quoted_names(const std::vector<std::string_view>& names) {
  std::string text;
  for (const auto name : names) {
    if (!text.empty()) text += " or ";
    text += fmt::format("{} = '...'", name);
  }
  return text;
}

}  // namespace

std::vector<ValueSpan> locate_python_version(const std::filesystem::path& path,
                                             std::string_view content,
                                             const std::vector<std::string_view>& names) {
  PythonScanner scanner{content};
  const auto assignments = scanner.assignments_to({names.begin(), names.end()});

  std::vector<ValueSpan> spans;
  std::set<std::string, std::less<>> constants;
  for (const auto& assignment : assignments) {
    if (assignment.literal) spans.push_back(*assignment.literal);
    if (!assignment.constant.empty()) constants.insert(assignment.constant);
  }
  // version=VERSION: stamp `VERSION = '...'` when this file defines it.
  for (const auto& name : names) constants.erase(std::string{name});
  if (!constants.empty()) {
    for (const auto& assignment : scanner.assignments_to(constants)) {
      if (assignment.literal) spans.push_back(*assignment.literal);
    }
  }
  if (!spans.empty()) {
    // `__version__ = version = '1.0'` is found through both names.
    std::sort(spans.begin(), spans.end(),
              [](const ValueSpan& a, const ValueSpan& b) { return a.begin < b.begin; });
    spans.erase(
        std::unique(spans.begin(), spans.end(),
                    [](const ValueSpan& a, const ValueSpan& b) { return a.begin == b.begin; }),
        spans.end());
    return spans;
  }

  if (assignments.empty()) {
    // setup.py may compute it: exec or parse another file, pass a dict to setup(**kwargs).
    const bool setup_py = path.filename() == "setup.py";
    throw StampError(fmt::format("{}: no version field to stamp (expected {}){}", path.string(),
                                 quoted_names(names),
                                 setup_py ? "; if setup.py reads the version from another file, "
                                            "stamp that file instead"
                                          : ""));
  }
  const auto& first = assignments.front();
  throw StampError(fmt::format(
      "{}:{}: the version is not a string literal ({}); stamp the file it comes from instead",
      path.string(), first.line, first.value_text));
}

std::optional<VersionReference> find_version_reference(std::string_view content,
                                                       const std::vector<std::string_view>& names) {
  PythonScanner scanner{content};
  // The value as the scanner shows it runs to the end of the line: `six.__version__, ...)`.
  static const std::regex attribute{
      R"(^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.([A-Za-z_]\w*)[ \t]*(?:[,)#]|$))"};
  for (const auto& assignment : scanner.assignments_to({names.begin(), names.end()})) {
    std::smatch match;
    if (!assignment.literal && text::fits_regex(assignment.value_text) &&
        std::regex_search(assignment.value_text, match, attribute)) {
      return VersionReference{match[1], match[2]};
    }
  }
  // from .mod import a, version as __version__   (or in parentheses, on the first line)
  static const std::regex import{
      R"(^[ \t]*from[ \t]+(\.+[A-Za-z_][\w.]*)[ \t]+import[ \t]+\(?([^)#\r\n]*))"};
  static const std::regex item{R"(^\s*([A-Za-z_]\w*)(?:\s+as\s+([A-Za-z_]\w*))?\s*$)"};
  for (const auto line : text::split_lines(content)) {
    std::match_results<std::string_view::const_iterator> it;
    if (!text::fits_regex(line) || !std::regex_search(line.begin(), line.end(), it, import)) {
      continue;
    }
    const std::string list = it[2];
    std::size_t begin = 0;
    while (begin <= list.size()) {
      auto comma = list.find(',', begin);
      if (comma == std::string::npos) comma = list.size();
      std::smatch parts;
      const auto entry = list.substr(begin, comma - begin);
      if (text::fits_regex(entry) && std::regex_match(entry, parts, item)) {
        const std::string bound = parts[2].matched ? parts[2] : parts[1];
        if (std::find(names.begin(), names.end(), bound) != names.end()) {
          return VersionReference{it[1], parts[1]};
        }
      }
      begin = comma + 1;
    }
  }
  return std::nullopt;
}

}  // namespace dp::stamp
