#include "pypi/check/rst_check.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "text/text.hpp"

namespace dp::pypi {
namespace {

struct Line {
  std::string_view text;  // without the line break and trailing whitespace
  std::size_t indent = 0;
  bool blank() const { return indent == text.size(); }
  std::string_view content() const { return text.substr(indent); }
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
      line.remove_suffix(1);
    }
    std::size_t indent = 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    lines.push_back({line, indent});
  }
  return lines;
}

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// One punctuation character repeated: a title's underline or overline, or a transition.
bool is_adornment_text(std::string_view text) {
  static constexpr std::string_view adornment_characters = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  return !text.empty() && adornment_characters.find(text.front()) != std::string_view::npos &&
         std::all_of(text.begin(), text.end(), [&](char c) { return c == text.front(); });
}

// An adornment where titles may be: not indented.
bool is_adornment(const Line& line) {
  return line.indent == 0 && is_adornment_text(line.text);
}

bool starts_explicit_markup(const Line& line) {
  const auto content = line.content();
  return content == ".." || content.starts_with(".. ") || content.starts_with("..\t");
}

bool looks_like_table_or_line_block(const Line& line) {
  const auto content = line.content();
  if (content.starts_with("+") || content.starts_with("|")) return true;  // grid table, line block
  // Simple table borders: "=====  =====" or "-----  -----".
  const auto border = content.find_first_not_of("= ") == std::string_view::npos ||
                      content.find_first_not_of("- ") == std::string_view::npos;
  return border && content.find(' ') != std::string_view::npos;
}

// Display columns as docutils counts them: combining marks take none, wide CJK characters two.
// Characters it counts as wide that are not listed here (emoji) count one: never too many.
std::size_t column_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t code = length == 1 ? lead : lead & (0x3F >> (length - 1));
    for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
      code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    i += length;
    if (code >= 0x300 && code <= 0x36F) continue;
    const bool wide = (code >= 0x1100 && code <= 0x115F) || (code >= 0x2E80 && code <= 0xA4CF) ||
                      (code >= 0xAC00 && code <= 0xD7A3) || (code >= 0xF900 && code <= 0xFAFF) ||
                      (code >= 0xFF00 && code <= 0xFF60) || (code >= 0xFFE0 && code <= 0xFFE6) ||
                      (code >= 0x20000 && code <= 0x3FFFD);
    width += wide ? 2 : 1;
  }
  return width;
}

class Checker {
 public:
  explicit Checker(std::string_view text) : lines_(split_lines(text)), skipped_(lines_.size()) {}

  std::vector<std::string> run() {
    mark_skipped_blocks();
    check_titles();
    check_nested_titles();
    check_paragraphs();
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> messages;
    for (const auto& [line, message] : problems_) {
      messages.push_back(fmt::format("line {}: {}", line, message));
    }
    return messages;
  }

 private:
  void report(std::size_t index, std::string message) {
    problems_.emplace_back(index + 1, std::move(message));
  }

  bool blank_or_start(std::size_t index, std::size_t back) const {
    return index < back || lines_[index - back].blank();
  }

  // Skips the lines after `start` that are blank or indented deeper than it; returns the next.
  std::size_t skip_indented_after(std::size_t start) {
    std::size_t next = start + 1;
    while (next < lines_.size() &&
           (lines_[next].blank() || lines_[next].indent > lines_[start].indent)) {
      skipped_[next++] = true;
    }
    return next;
  }

  // Literal blocks, explicit markup and doctest blocks hold no checkable RST for us.
  void mark_skipped_blocks() {
    for (std::size_t i = 0; i < lines_.size();) {
      const auto& line = lines_[i];
      if (line.blank()) {
        ++i;
      } else if (starts_explicit_markup(line)) {
        skipped_[i] = true;
        const std::size_t next = skip_indented_after(i);
        check_directive_content(i, next);
        if (next < lines_.size() && !lines_[next - 1].blank() &&
            lines_[next].indent == line.indent && !starts_explicit_markup(lines_[next])) {
          report(next, "Explicit markup ends without a blank line; unexpected unindent.");
        }
        i = next;
      } else if (line.content().starts_with(">>>")) {
        while (i < lines_.size() && !lines_[i].blank()) skipped_[i++] = true;
      } else if (line.text.ends_with("::")) {
        i = skip_indented_after(i);
      } else {
        ++i;
      }
    }
  }

  // A directive's arguments and options come first, without a blank line; what follows a blank
  // line in its block is content, which some directives do not take. (The typical case: a
  // description whose every line but the first is indented, so all of it is an image's content.)
  void check_directive_content(std::size_t start, std::size_t end) {
    static constexpr std::string_view without_content[] = {"image", "contents", "sectnum",
                                                           "target-notes", "include"};
    const auto content = lines_[start].content();
    const auto marker = content.find("::");
    if (marker == std::string_view::npos) return;
    const auto name = text::trim(content.substr(2, marker - 2));
    if (std::find(std::begin(without_content), std::end(without_content), name) ==
        std::end(without_content)) {
      return;
    }
    bool after_blank = false;
    for (std::size_t i = start + 1; i < end; ++i) {
      if (lines_[i].blank()) {
        after_blank = true;
      } else if (after_blank) {
        report(start, fmt::format("Error in \"{}\" directive: no content permitted.", name));
        return;
      }
    }
  }

  bool is_text(std::size_t index) const {
    return !skipped_[index] && !lines_[index].blank() && !is_adornment(lines_[index]);
  }

  void check_titles() {
    for (std::size_t i = 1; i < lines_.size(); ++i) {
      if (skipped_[i] || !is_adornment(lines_[i]) || !is_text(i - 1)) continue;
      const auto underline = lines_[i].text;
      const auto title = lines_[i - 1].content();
      if (i >= 2 && !skipped_[i - 2] && is_adornment(lines_[i - 2]) && blank_or_start(i, 3)) {
        const auto overline = lines_[i - 2].text;
        if (overline != underline) {
          report(i, "Title overline & underline mismatch.");
        } else if (overline.size() >= 4 && column_width(title) > overline.size()) {
          report(i - 2, "Title overline too short.");
        }
      } else if (lines_[i - 1].indent == 0 && blank_or_start(i, 2) && underline.size() >= 4 &&
                 column_width(title) > underline.size()) {
        report(i, "Title underline too short.");
      }
    }
  }

  // Indented lines are inside a block quote, a definition or a list item, where docutils allows
  // no section title or transition: an adornment line of 4 or more characters that starts a
  // block there, or that underlines the first line of a paragraph there, is an error. (The
  // typical case: a Description header whose continuation lines keep their indentation, so the
  // title's underline sits in the first line's definition.)
  void check_nested_titles() {
    const auto starts_block = [this](std::size_t index) {
      return index == 0 || lines_[index - 1].blank() ||
             lines_[index - 1].indent < lines_[index].indent;
    };
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      const auto& line = lines_[i];
      if (skipped_[i] || line.indent == 0 || !is_adornment_text(line.content())) continue;
      if (starts_block(i)) {
        if (line.content().size() >= 4) report(i, "Unexpected section title or transition.");
      } else if (is_text(i - 1) && lines_[i - 1].indent == line.indent && starts_block(i - 1) &&
                 (line.content().size() >= 4 ||
                  column_width(lines_[i - 1].content()) <= line.content().size())) {
        report(i, "Unexpected section title.");
      }
    }
  }

  // Inline markup cannot leave a paragraph. Runs of text lines indented at least as deep as the
  // first stand for one: a list item's continuation lines belong to it, and where two blocks are
  // joined (a definition list), the check can only find fewer problems, never more.
  void check_paragraphs() {
    for (std::size_t i = 0; i < lines_.size();) {
      if (!is_text(i)) {
        ++i;
        continue;
      }
      std::size_t end = i + 1;
      while (end < lines_.size() && is_text(end) && lines_[end].indent >= lines_[i].indent) ++end;
      bool table = false;
      std::string paragraph;
      for (std::size_t k = i; k < end; ++k) {
        table = table || looks_like_table_or_line_block(lines_[k]);
        if (k > i) paragraph += '\n';
        paragraph += lines_[k].content();
      }
      if (!table) check_inline_markup(paragraph, i);
      i = end;
    }
  }

  struct Markup {
    std::string_view start;
    std::string_view end;
    const char* name;
  };

  static const Markup* markup_at(std::string_view text, std::size_t pos) {
    static constexpr Markup kinds[] = {
        {"``", "``", "literal"},
        {"**", "**", "strong"},
        {"*", "*", "emphasis"},
        {"_`", "`", "internal target"},
        {"`", "`", "interpreted text or phrase reference"},
        {"|", "|", "substitution_reference"},
    };
    for (const auto& kind : kinds) {
      if (text.substr(pos).starts_with(kind.start)) return &kind;
    }
    return nullptr;
  }

  // docutils' start-string rules, ASCII part: after whitespace or an opener/delimiter, before
  // non-whitespace, and not between a matching pair such as "*" or (*).
  static bool is_start_string(std::string_view text, std::size_t pos, std::size_t length) {
    const std::size_t after = pos + length;
    if (after >= text.size() || is_space(text[after])) return false;
    if (pos == 0) return true;
    const char before = text[pos - 1];
    if (!is_space(before) && std::strchr("-:/'\"<([{", before) == nullptr) return false;
    static constexpr std::string_view openers = "'\"<([{";
    static constexpr std::string_view closers = "'\">)]}";
    const auto opener = openers.find(before);
    return opener == std::string_view::npos || text[after] != closers[opener];
  }

  // Generous on purpose: any end-string after non-whitespace and before a non-alphanumeric
  // character counts, so that an end docutils would accept is never missed.
  static std::size_t find_end_string(std::string_view text, std::size_t from,
                                     std::string_view end) {
    for (auto pos = text.find(end, from); pos != std::string_view::npos;
         pos = text.find(end, pos + 1)) {
      const std::size_t after = pos + end.size();
      if (pos > from && !is_space(text[pos - 1]) &&
          (after == text.size() || !std::isalnum(static_cast<unsigned char>(text[after])))) {
        return pos;
      }
    }
    return std::string_view::npos;
  }

  void check_inline_markup(std::string_view text, std::size_t first_line) {
    for (std::size_t pos = 0; pos < text.size();) {
      if (text[pos] == '\\') {
        pos += 2;
        continue;
      }
      const Markup* markup = markup_at(text, pos);
      if (markup == nullptr) {
        ++pos;
        continue;
      }
      const std::size_t content = pos + markup->start.size();
      if (!is_start_string(text, pos, markup->start.size())) {
        pos = content;
        continue;
      }
      const auto end = find_end_string(text, content, markup->end);
      if (end == std::string_view::npos) {
        const auto line =
            first_line + static_cast<std::size_t>(std::count(
                             text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
        report(line, fmt::format("Inline {} start-string without end-string.", markup->name));
        pos = content;
      } else {
        pos = end + markup->end.size();
      }
    }
  }

  std::vector<Line> lines_;
  std::vector<bool> skipped_;
  std::vector<std::pair<std::size_t, std::string>> problems_;
};

}  // namespace

std::vector<std::string> find_rst_problems(std::string_view text) {
  return Checker{text}.run();
}

}  // namespace dp::pypi
