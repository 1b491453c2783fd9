#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "stamp/locators.hpp"

namespace dp::stamp {

// Stamps a file of any kind through a regular expression (`stamp --pattern`): `pattern` is an
// ECMAScript regex (std::regex, with `^` and `$` matching at every line's start and end and `.`
// not crossing lines) holding exactly one capture group, the version value. The group's text is
// replaced in every match. Throws StampError naming the pattern when it is not a valid regex, has
// not exactly one group, or its group does not capture the whole value (stamping twice would
// differ from stamping once); naming `path` and the pattern when nothing matches.
std::string stamp_with_pattern(const std::filesystem::path& path, std::string_view content,
                               std::string_view version, const std::string& pattern);

// The spans of the group's matches stamp_with_pattern replaces, after the same checks.
std::vector<ValueSpan> locate_with_pattern(const std::filesystem::path& path,
                                           std::string_view content, std::string_view version,
                                           const std::string& pattern);

}  // namespace dp::stamp
