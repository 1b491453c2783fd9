// Fuzz target over the reStructuredText check of long descriptions (what readme_renderer would
// refuse to render on PyPI): titles and their underlines, inline markup, explicit markup, and the
// blocks it skips. It never throws, and each problem names a line of the text.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pypi/check/rst_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = dp::fuzz::as_text(data, size);
  const auto lines = std::count(text.begin(), text.end(), '\n') + 1;
  for (const auto& problem : dp::pypi::find_rst_problems(text)) {
    dp::fuzz::check(problem.starts_with("line "), "a problem does not start with its line");
    const auto line = std::stol(problem.substr(5));
    dp::fuzz::check(line >= 1 && line <= lines, "a problem names a line outside the text");
  }
  return 0;
}
