#include "pypi/dist/core_metadata.hpp"

#include <algorithm>
#include <cctype>

#include "text/text.hpp"

namespace dp::pypi {
namespace {

bool starts_with_blank(std::string_view line) {
  return !line.empty() && (line.front() == ' ' || line.front() == '\t');
}

using text::trim;

// Splits off the next line (without its "\n" or "\r\n"); advances `rest`.
std::string_view next_line(std::string_view& rest) {
  const auto end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::optional<std::string> CoreMetadata::first(std::string_view name) const {
  for (const auto& field : fields) {
    if (equals_ignoring_case(field.name, name)) return field.value;
  }
  return std::nullopt;
}

std::vector<std::string> CoreMetadata::all(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& field : fields) {
    if (equals_ignoring_case(field.name, name)) values.push_back(field.value);
  }
  return values;
}

std::string CoreMetadata::description() const {
  if (!body.empty()) return body;
  return first("Description").value_or("");
}

CoreMetadata parse_core_metadata(std::string_view text) {
  CoreMetadata metadata;
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::string_view before_line = rest;
    const std::string_view line = next_line(rest);
    if (line.empty()) break;  // end of headers; the rest is the body
    if (starts_with_blank(line)) {
      // Folded header: Python's email parser (which packaging and twine use) keeps the
      // line break and the continuation line's indentation.
      if (!metadata.fields.empty()) {
        metadata.fields.back().value += '\n';
        metadata.fields.back().value += line;
      }
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      // Python's email parser ends the headers at a line that is not one; so do we.
      rest = before_line;
      break;
    }
    metadata.fields.push_back(
        {std::string{trim(line.substr(0, colon))}, std::string{trim(line.substr(colon + 1))}});
  }
  metadata.body = std::string{rest};
  return metadata;
}

}  // namespace dp::pypi
