#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dp::pypi {

// An INI file as Python's configparser.RawConfigParser reads it: [sections] of `key = value`
// or `key: value` (keys lowercased), indented lines continuing a value, '#'/';' comments,
// no interpolation. Duplicate sections or keys are errors, as in configparser's strict mode.
class IniFile {
 public:
  // Throws ConfigurationError "Malformed configuration in <file> (line N: ...)". Never quotes a
  // line: it may hold a password.
  static IniFile parse(std::string_view text, const std::filesystem::path& file);

  bool has_section(std::string_view section) const;
  std::optional<std::string> get(std::string_view section, std::string_view key) const;

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> sections_;
};

}  // namespace dp::pypi
