#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dp::pypi {

// reStructuredText mistakes that make docutils report a warning or worse, which readme_renderer
// (halt_level 2, as PyPI and `twine check` render) turns into "would not be rendered on PyPI".
// This is no RST parser: it looks for the mistakes that are common and recognisable for sure,
//   - a section title whose underline (or overline) of 4+ characters is shorter than the title,
//   - a title whose overline and underline differ,
//   - inline markup whose start-string has no end-string in its paragraph (*, **, ``, `, _`, |),
//   - explicit markup (.. directive/comment/target) followed by text without a blank line,
// and stays silent on anything unclear: literal blocks (after "::"), explicit markup bodies,
// doctest blocks, tables and line blocks are skipped, and only ASCII delimiters around inline
// markup are understood. Unknown directives, roles and link targets are not checked.
// Returns one "line N: message" per problem, in docutils' words.
std::vector<std::string> find_rst_problems(std::string_view text);

}  // namespace dp::pypi
