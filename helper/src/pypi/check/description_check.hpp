#pragma once

#include <string>
#include <string_view>

#include "pypi/check/check_findings.hpp"
#include "pypi/dist/core_metadata.hpp"

namespace dp::pypi {

// What `twine check` reports about the long description that upload sends (the body, else the
// Description header as written, continuation lines indented), and what PyPI refuses about it:
// a missing description or Description-Content-Type (warnings; then the description is read
// as RST, as twine and PyPI do), a content type PyPI does not render (not text/plain,
// text/x-rst or text/markdown, a charset other than UTF-8, a Markdown variant other than GFM
// or CommonMark) and RST that would not render (see find_rst_problems): errors.
CheckFindings check_description(const CoreMetadata& metadata);

}  // namespace dp::pypi
