#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "stamp/locators.hpp"

// The one edit stamping makes: the text of each located value becomes the version.
namespace dp::stamp {

// Throws StampError naming `path` unless `version` holds only characters of a PEP 440 spelling,
// none of which needs quoting or escaping in Python, INI or TOML strings.
void check_stampable(const std::filesystem::path& path, std::string_view version);

// `content` with the bytes of every span replaced by `replacement`; spans must not overlap.
std::string replace_spans(std::string_view content, std::vector<ValueSpan> spans,
                          std::string_view replacement);

}  // namespace dp::stamp
