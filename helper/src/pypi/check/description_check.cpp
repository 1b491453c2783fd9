#include "pypi/check/description_check.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "pypi/check/rst_check.hpp"
#include "text/text.hpp"

namespace dp::pypi {
namespace {

using text::lowercase;
using text::trim;

struct ContentType {
  std::string type;                           // lowercase "type/subtype"
  std::map<std::string, std::string> params;  // lowercase keys, values unquoted
};

ContentType parse_content_type(std::string_view value) {
  ContentType parsed;
  for (bool first = true;; first = false) {
    const auto semicolon = value.find(';');
    const auto part = trim(value.substr(0, semicolon));
    if (first) {
      parsed.type = lowercase(part);
    } else if (const auto equals = part.find('='); equals != std::string_view::npos) {
      auto parameter = trim(part.substr(equals + 1));
      if (parameter.size() >= 2 && parameter.front() == '"' && parameter.back() == '"') {
        parameter = parameter.substr(1, parameter.size() - 2);
      }
      parsed.params.emplace(lowercase(trim(part.substr(0, equals))), parameter);
    }
    if (semicolon == std::string_view::npos) return parsed;
    value.remove_prefix(semicolon + 1);
  }
}

void check_content_type(const ContentType& content_type, std::string_view raw,
                        CheckFindings& findings) {
  constexpr std::array<std::string_view, 3> renderable = {"text/plain", "text/x-rst",
                                                          "text/markdown"};
  if (std::find(renderable.begin(), renderable.end(), content_type.type) == renderable.end()) {
    findings.errors.push_back(
        fmt::format("Description-Content-Type '{}' cannot be rendered: PyPI takes {}", raw,
                    fmt::join(renderable, ", ")));
  }
  if (const auto charset = content_type.params.find("charset");
      charset != content_type.params.end() && lowercase(charset->second) != "utf-8") {
    findings.errors.push_back(fmt::format(
        "Description-Content-Type '{}': charset {} is not UTF-8, the only one PyPI takes", raw,
        charset->second));
  }
  if (const auto variant = content_type.params.find("variant");
      content_type.type == "text/markdown" && variant != content_type.params.end() &&
      variant->second != "GFM" && variant->second != "CommonMark") {
    findings.errors.push_back(fmt::format(
        "Description-Content-Type '{}': Markdown variant {} is neither GFM nor CommonMark", raw,
        variant->second));
  }
}

}  // namespace

CheckFindings check_description(const CoreMetadata& metadata) {
  CheckFindings findings;
  std::string type = "text/x-rst";
  if (const auto raw = metadata.first("Description-Content-Type"); raw && !trim(*raw).empty()) {
    const auto content_type = parse_content_type(*raw);
    check_content_type(content_type, *raw, findings);
    type = content_type.type;
  } else {
    findings.warnings.push_back(
        "`long_description_content_type` missing: Description-Content-Type is not set; the "
        "description is read as text/x-rst");
  }

  // Exactly the text upload sends (and PyPI renders): a Description header keeps the indentation
  // of its continuation lines, as Python's email parser, packaging and twine read it.
  const auto description = metadata.description();
  if (trim(description).empty() || trim(description) == "UNKNOWN") {
    findings.warnings.push_back("`long_description` missing: the metadata has no description");
    return findings;
  }
  if (type == "text/x-rst") {
    const auto problems = find_rst_problems(description);
    if (!problems.empty()) {
      findings.errors.push_back(fmt::format(
          "the text/x-rst description has markup errors and would not be rendered on PyPI: {}",
          fmt::join(problems, "; ")));
    }
  }
  return findings;
}

}  // namespace dp::pypi
