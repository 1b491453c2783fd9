// Fuzz target over sdists and wheels as `check` and `upload` read them: the archive reader
// (libarchive, a zip through its central directory), the layout of the dist, its METADATA or
// PKG-INFO, WHEEL and RECORD, all through check_distribution on a file. The first byte picks the
// kind of file (wheel, .tar.gz sdist, .zip sdist), the rest is its content. check_distribution
// never throws for a bad dist; inspect_distribution throws only DistributionError.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "archive/archive_reader.hpp"
#include "fuzz_support.hpp"
#include "pypi/check/dist_check.hpp"
#include "pypi/dist/distribution.hpp"

namespace {

using namespace dp::pypi;
using dp::fuzz::accepts;
using dp::fuzz::check;

constexpr std::array<std::string_view, 3> kNames = {"demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz",
                                                    "demo-1.0.zip"};

// Every entry and every byte, as the upload's digests read them.
void read_all(const std::filesystem::path& file, dp::archive::Format format) {
  dp::archive::Reader reader(file, format);
  std::array<char, 4096> buffer{};
  while (reader.next()) {
    while (reader.read(buffer) > 0) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto input = dp::fuzz::as_text(data, size);
  const auto kind = static_cast<unsigned char>(input[0]) % kNames.size();
  const auto file = dp::fuzz::scratch().write(std::string{kNames[kind]}, input.substr(1));
  const auto format = kind == 1 ? dp::archive::Format::tar_gz : dp::archive::Format::zip;

  accepts([&] { read_all(file, format); });
  accepts([&] { inspect_distribution(file); });
  try {
    const auto report = check_distribution(file);
    check(report.distribution.has_value() || !report.errors.empty(),
          "a dist without readable metadata passed the check");
  } catch (const dp::UserError&) {
    check(false, "check_distribution threw for a bad dist");
  }
  return 0;
}
