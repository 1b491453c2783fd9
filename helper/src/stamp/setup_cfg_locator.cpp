// setup.cfg is read by setuptools through configparser; this follows its line rules: full-line
// comments start with '#' or ';', option names are case-insensitive, '=' or ':' delimits, and an
// indented line after an option continues its value.
#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "stamp/locators.hpp"
#include "stamp/stamp.hpp"
#include "text/text.hpp"

namespace dp::stamp {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

using text::trim;

std::string lower(std::string_view text) {
  std::string result{text};
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

// The value of `version = <value>  # comment` on the line [begin, end): its span in the content,
// without surrounding blanks, an inline comment or quotes.
ValueSpan value_span(std::string_view content, std::size_t begin, std::size_t end) {
  while (begin < end && is_blank(content[begin])) ++begin;
  for (auto pos = begin + 1; pos < end; ++pos) {
    if ((content[pos] == '#' || content[pos] == ';') && is_blank(content[pos - 1])) {
      end = pos;
      break;
    }
  }
  while (end > begin && std::isspace(static_cast<unsigned char>(content[end - 1]))) --end;
  const bool quoted = end - begin >= 2 && (content[begin] == '"' || content[begin] == '\'') &&
                      content[end - 1] == content[begin];
  if (quoted) return {begin + 1, end - 1};
  return {begin, end};
}

}  // namespace

std::vector<ValueSpan> locate_setup_cfg_version(const std::filesystem::path& path,
                                                std::string_view content) {
  std::vector<ValueSpan> spans;
  std::string section;
  bool after_option = false;  // an indented line continues the previous option's value
  std::size_t line_number = 0;
  for (std::size_t line_begin = 0; line_begin < content.size();) {
    auto line_end = content.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = content.size();
    const auto line = content.substr(line_begin, line_end - line_begin);
    const auto next_line = line_end + 1;
    ++line_number;

    const auto stripped = trim(line);
    const bool indented = !line.empty() && is_blank(line.front());
    if (stripped.empty() || stripped.front() == '#' || stripped.front() == ';' ||
        (indented && after_option)) {
      line_begin = next_line;
      continue;
    }
    // configparser takes "[name]" up to the last ']' and ignores what follows it.
    if (const auto close = stripped.rfind(']');
        stripped.front() == '[' && close != std::string_view::npos) {
      section = std::string{stripped.substr(1, close - 1)};
      after_option = false;
      line_begin = next_line;
      continue;
    }
    after_option = true;
    const auto delimiter = line.find_first_of("=:");
    if (section == "metadata" && delimiter != std::string_view::npos &&
        lower(trim(line.substr(0, delimiter))) == "version") {
      const auto span = value_span(content, line_begin + delimiter + 1, line_end);
      const auto value = content.substr(span.begin, span.end - span.begin);
      if (value.starts_with("attr:") || value.starts_with("file:")) {
        throw StampError(
            fmt::format("{}:{}: [metadata] version is read from '{}'; stamp that file instead",
                        path.string(), line_number, value));
      }
      spans.push_back(span);
    }
    line_begin = next_line;
  }
  if (spans.empty()) {
    throw StampError(fmt::format(
        "{}: no version field to stamp (expected 'version = ...' in the [metadata] section)",
        path.string()));
  }
  return spans;
}

}  // namespace dp::stamp
