#include "stamp/stamp.hpp"

#include <fmt/core.h>

#include "stamp/file_io.hpp"
#include "stamp/locators.hpp"
#include "stamp/replace.hpp"

namespace dp::stamp {
namespace {

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

}  // namespace

std::string stamp_content(const std::filesystem::path& path, std::string_view content,
                          std::string_view version) {
  check_stampable(path, version);
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
