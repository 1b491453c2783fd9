#include "pypi/config/ini_file.hpp"

#include <fmt/core.h>

#include <cctype>

#include "pypi/errors.hpp"
#include "text/text.hpp"

namespace dp::pypi {
namespace {

using text::lowercase;
using text::trim;

}  // namespace

IniFile IniFile::parse(std::string_view text, const std::filesystem::path& file) {
  IniFile ini;
  const auto malformed = [&](int line_number, std::string_view what) {
    return ConfigurationError(fmt::format("Malformed configuration in {} (line {}: {})",
                                          file.string(), line_number, what));
  };

  std::map<std::string, std::string, std::less<>>* section = nullptr;
  std::string* value = nullptr;  // the value an indented line continues
  int line_number = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    ++line_number;

    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#' || content.front() == ';') continue;
    const bool indented = line.front() == ' ' || line.front() == '\t';
    if (indented && value != nullptr) {
      if (!value->empty()) *value += '\n';
      *value += content;
      continue;
    }
    if (content.front() == '[' && content.back() == ']') {
      const std::string name{content.substr(1, content.size() - 2)};
      if (ini.sections_.contains(name)) throw malformed(line_number, "section defined twice");
      section = &ini.sections_[name];
      value = nullptr;
      continue;
    }
    if (section == nullptr) throw malformed(line_number, "an option before any [section]");
    const auto delimiter = content.find_first_of("=:");
    if (delimiter == std::string_view::npos) {
      throw malformed(line_number, "expected `key = value`");
    }
    const std::string key = lowercase(trim(content.substr(0, delimiter)));
    if (key.empty()) throw malformed(line_number, "an empty key");
    if (section->contains(key)) throw malformed(line_number, "an option defined twice");
    value = &(*section)[key];
    *value = trim(content.substr(delimiter + 1));
  }
  return ini;
}

bool IniFile::has_section(std::string_view section) const {
  return sections_.contains(section);
}

std::optional<std::string> IniFile::get(std::string_view section, std::string_view key) const {
  const auto found_section = sections_.find(section);
  if (found_section == sections_.end()) return std::nullopt;
  const auto found = found_section->second.find(key);
  if (found == found_section->second.end()) return std::nullopt;
  return found->second;
}

}  // namespace dp::pypi
