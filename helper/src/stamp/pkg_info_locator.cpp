// PKG-INFO is core metadata in the email header format: `Name: value` lines up to the first blank
// line (the body after it is the description), field names case-insensitive, a line starting with
// a space or tab continuing the one before.
#include <fmt/core.h>

#include "stamp/locators.hpp"
#include "stamp/stamp.hpp"
#include "text/text.hpp"

namespace dp::stamp {

std::vector<ValueSpan> locate_pkg_info_version(const std::filesystem::path& path,
                                               std::string_view content) {
  std::size_t line = content.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (line < content.size()) {
    auto end = content.find('\n', line);
    if (end == std::string_view::npos) end = content.size();
    auto text = content.substr(line, end - line);
    if (text.ends_with('\r')) text.remove_suffix(1);
    if (text.empty()) break;  // the headers end here
    const auto colon = text.find(':');
    if (colon != std::string_view::npos && text::lowercase(text.substr(0, colon)) == "version") {
      const auto value = text::trim(text.substr(colon + 1), " \t");
      if (value.empty()) break;
      const auto begin = line + static_cast<std::size_t>(value.data() - text.data());
      return {{begin, begin + value.size()}};
    }
    line = end + 1;
  }
  throw StampError(fmt::format(
      "{}: no version field to stamp (expected a Version: header before the first blank line)",
      path.string()));
}

}  // namespace dp::stamp
