// Fuzz target over git tags and `git describe` output as the version of a checkout is derived
// from them (setuptools-scm's rules): the tag patterns (the default one and setuptools-scm
// styles), the describe line, and the next version made from a tag. Nothing throws but a
// UserError (ScmError, VersionError), and a version taken from a tag prints as PEP 440.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "scm/describe.hpp"
#include "scm/next_version.hpp"
#include "scm/tag_pattern.hpp"
#include "version/pep440.hpp"

namespace {

using namespace dp::scm;
using dp::fuzz::accepts;
using dp::fuzz::check;

const std::array<TagPattern, 3>& patterns() {
  static const std::array<TagPattern, 3> kPatterns = {
      TagPattern{""}, TagPattern{R"(^(?:release/)?v(?P<version>\d+(?:\.\d+)*(?:rc\d+)?)$)"},
      TagPattern{R"(^pydemo-(?P<version>.+)$)"}};
  return kPatterns;
}

void from_tag(std::string_view tag, const Description* description) {
  for (const auto& pattern : patterns()) {
    const auto version = pattern.version_of(tag);
    if (!version) continue;
    check(accepts([&] { dp::version::parse(dp::version::to_string(*version)); }),
          "a tag's version does not print as PEP 440");
    accepts([&] { guess_next_version(*version); });
    if (description) {
      const ScmState state{*version, description->distance, description->node, description->dirty};
      const std::chrono::sys_days today{std::chrono::days{19844}};
      accepts([&] { scm_version(state, true, today); });
      accepts([&] { scm_version(state, false, today); });
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = dp::fuzz::as_text(data, size);
  // Tags are one line each, and git refuses long names: patterns see at most a ref's length.
  const auto line = text.substr(0, std::min(text.find('\n'), std::size_t{255}));
  from_tag(line, nullptr);
  if (const auto description = parse_describe(line)) from_tag(description->tag, &*description);
  return 0;
}
