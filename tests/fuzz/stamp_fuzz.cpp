// Fuzz target over version stamping: setup.py, setup.cfg, pyproject.toml (its dynamic versions
// too), PKG-INFO, Cargo.toml and modules' __version__. The first byte picks the file's name, the
// rest is its content. Nothing throws but StampError (or another UserError); a file stamped
// changes only in its version, and stamping it again changes nothing.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "stamp/dynamic_version.hpp"
#include "stamp/locators.hpp"
#include "stamp/plan.hpp"
#include "stamp/stamp.hpp"

namespace {

using namespace dp::stamp;
using dp::fuzz::accepts;
using dp::fuzz::check;

constexpr std::array<std::string_view, 8> kFiles = {
    "proj/setup.py",   "proj/setup.cfg",        "proj/pyproject.toml",   "proj/PKG-INFO",
    "proj/Cargo.toml", "proj/demo/__init__.py", "proj/demo/_version.py", "proj/VERSION"};

constexpr std::string_view kVersion = "1.2.3rc1";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto input = dp::fuzz::as_text(data, size);
  const std::filesystem::path path{kFiles[static_cast<unsigned char>(input[0]) % kFiles.size()]};
  const auto content = input.substr(1);

  std::string stamped;
  if (accepts([&] { stamped = stamp_content(path, content, kVersion); })) {
    std::string again;
    check(accepts([&] { again = stamp_content(path, stamped, kVersion); }),
          "a stamped file cannot be stamped again");
    check(again == stamped, "stamping twice is not stamping once");
  }
  if (path.filename() == "pyproject.toml") {
    accepts([&] { read_pyproject(content); });
    accepts([&] { find_dynamic_version(path, content); });
  }
  find_version_reference(content, {"__version__", "version"});

  // The whole plan, with this file the only one there is.
  const FileReader reader = [&](const std::filesystem::path& file) -> std::optional<std::string> {
    if (file.lexically_normal() == path) return std::string{content};
    return std::nullopt;
  };
  StampOptions options;
  options.version = kVersion;
  options.root = "proj";
  accepts([&] { plan_stamp({path}, options, reader); });
  options.build_variables = std::set<std::string>{"ARG_VERSION"};
  accepts([&] { plan_stamp({path}, options, reader); });
  return 0;
}
