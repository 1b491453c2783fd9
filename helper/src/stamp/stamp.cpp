#include "stamp/stamp.hpp"

#include <fmt/core.h>

#include "stamp/file_io.hpp"
#include "stamp/locators.hpp"
#include "stamp/replace.hpp"
#include "version/semver.hpp"

namespace dp::stamp {

std::vector<ValueSpan> locate_version(const std::filesystem::path& path, std::string_view content) {
  const auto name = path.filename().string();
  if (name == "setup.py") return locate_python_version(path, content, {"version", "__version__"});
  if (name == "setup.cfg") return locate_setup_cfg_version(path, content);
  if (name == "pyproject.toml") return locate_pyproject_version(path, content);
  if (name == "PKG-INFO") return locate_pkg_info_version(path, content);
  if (name == "Cargo.toml") return locate_cargo_version(path, content);
  if (path.extension() == ".py") return locate_python_version(path, content, {"__version__"});
  throw StampError(
      fmt::format("{}: don't know how to stamp this kind of file (expected setup.py, setup.cfg, "
                  "pyproject.toml, PKG-INFO, Cargo.toml or a *.py file with __version__)",
                  path.string()));
}

std::string value_for(const std::filesystem::path& path, std::string_view version) {
  check_stampable(path, version);
  if (path.filename() != "Cargo.toml") return std::string{version};
  std::string semver;
  try {
    semver = version::to_string(version::to_semver(version));
  } catch (const version::VersionError& e) {
    throw StampError(fmt::format(
        "{}: Cargo.toml holds a SemVer version, and {} has none ({}); release a version without "
        "an epoch, post or dev part",
        path.string(), version, e.what()));
  }
  // maturin reads it back as PEP 440: 1.0.0-rc.1 is 1.0.0rc1, which 1.0rc1 is not, as text.
  const auto back = version::normalize(semver);
  if (back != version::normalize(version)) {
    throw StampError(fmt::format(
        "{}: Cargo.toml holds a SemVer version, and {} would be written {}, which maturin builds "
        "as {}: give the version as {}",
        path.string(), version, semver, back, back));
  }
  return semver;
}

std::string stamp_content(const std::filesystem::path& path, std::string_view content,
                          std::string_view version) {
  return replace_spans(content, locate_version(path, content), value_for(path, version));
}

bool stamp_file(const std::filesystem::path& path, std::string_view version) {
  const auto content = read_file(path);
  const auto stamped = stamp_content(path, content, version);
  if (stamped == content) return false;
  write_file_atomically(path, stamped);
  return true;
}

}  // namespace dp::stamp
