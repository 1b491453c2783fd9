// Fuzz target over .pypirc files (configparser's raw INI dialect, twine's reading of it). Nothing
// escapes but ConfigurationError, which never quotes the file (a line may hold a password): the
// check below plants a marker in the input and looks for it in the message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pypi/config/ini_file.hpp"
#include "pypi/config/pypirc.hpp"
#include "pypi/errors.hpp"

namespace {

using namespace dp::pypi;
using dp::fuzz::check;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = dp::fuzz::as_text(data, size);
  try {
    const auto ini = IniFile::parse(text, "/home/u/.pypirc");
    ini.get("distutils", "index-servers");
    ini.has_section("pypi");
  } catch (const ConfigurationError&) {
  }
  try {
    const auto config = parse_pypirc(text, "/home/u/.pypirc");
    check(config.repositories.count("pypi") == 1, "no pypi repository");
    config.names();
  } catch (const ConfigurationError& error) {
    // A password of the dictionary's, wherever a mutation put it, must not be quoted back.
    check(std::string_view{error.what()}.find("s3cr3t-pa55") == std::string_view::npos,
          "a ConfigurationError quotes a password of the file");
  }
  return 0;
}
