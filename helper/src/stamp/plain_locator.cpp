#include <fmt/core.h>

#include "stamp/locators.hpp"
#include "stamp/stamp.hpp"

namespace dp::stamp {

std::vector<ValueSpan> locate_plain_version(const std::filesystem::path& path,
                                            std::string_view content) {
  constexpr std::string_view kBlanks = " \t\r\n\f\v";
  const auto bom = content.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  const auto begin = content.find_first_not_of(kBlanks, bom);
  if (begin == std::string_view::npos) {
    throw StampError(fmt::format(
        "{}: no version field to stamp (expected the file to hold the version and nothing else)",
        path.string()));
  }
  const auto end = content.find_last_not_of(kBlanks) + 1;
  if (content.substr(begin, end - begin).find_first_of(kBlanks) != std::string_view::npos) {
    throw StampError(fmt::format(
        "{}: holds more than a version; a version file holds the version and nothing else (or "
        "stamp it with --pattern)",
        path.string()));
  }
  return {{begin, end}};
}

}  // namespace dp::stamp
