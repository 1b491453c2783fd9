#include "stamp/stamp.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "stamp/file_io.hpp"
#include "stamp/locators.hpp"

namespace dp::stamp {
namespace {

// The characters of any PEP 440 spelling; nothing here needs quoting or escaping in Python, INI or
// TOML strings.
bool is_stampable(std::string_view version) {
  return !version.empty() && std::all_of(version.begin(), version.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '!' || c == '+' || c == '-' || c == '_';
  });
}

std::vector<ValueSpan> locate_version(const std::filesystem::path& path, std::string_view content) {
  const auto name = path.filename().string();
  if (name == "setup.py") return locate_python_version(path, content, {"version", "__version__"});
  if (name == "setup.cfg") return locate_setup_cfg_version(path, content);
  if (name == "pyproject.toml") return locate_pyproject_version(path, content);
  if (path.extension() == ".py") return locate_python_version(path, content, {"__version__"});
  throw StampError(
      fmt::format("{}: don't know how to stamp this kind of file (expected setup.py, setup.cfg, "
                  "pyproject.toml or a *.py file with __version__)",
                  path.string()));
}

std::string replace_spans(std::string_view content, std::vector<ValueSpan> spans,
                          std::string_view replacement) {
  std::sort(spans.begin(), spans.end(),
            [](const ValueSpan& a, const ValueSpan& b) { return a.begin < b.begin; });
  std::string result;
  result.reserve(content.size() + spans.size() * replacement.size());
  std::size_t copied = 0;
  for (const auto& span : spans) {
    result.append(content.substr(copied, span.begin - copied));
    result.append(replacement);
    copied = span.end;
  }
  result.append(content.substr(copied));
  return result;
}

}  // namespace

std::string stamp_content(const std::filesystem::path& path, std::string_view content,
                          std::string_view version) {
  if (!is_stampable(version)) {
    throw StampError(fmt::format("{}: cannot stamp '{}': not a version", path.string(), version));
  }
  return replace_spans(content, locate_version(path, content), version);
}

bool stamp_file(const std::filesystem::path& path, std::string_view version) {
  const auto content = read_file(path);
  const auto stamped = stamp_content(path, content, version);
  if (stamped == content) return false;
  write_file_atomically(path, stamped);
  return true;
}

}  // namespace dp::stamp
