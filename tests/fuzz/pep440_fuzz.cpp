// Fuzz target over the version parsers: nothing they are given crashes them or escapes as anything
// but VersionError, and whatever they accept round-trips through its printed form.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "version/bump.hpp"
#include "version/pep440.hpp"
#include "version/semver.hpp"

namespace {

using namespace dp::version;

std::string_view current_input;

// Not assert(): the checks must hold in release builds too.
void check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "pep440_fuzz: %s\ninput (%zu bytes):", what, current_input.size());
  for (const unsigned char c : current_input) std::fprintf(stderr, " %02x", c);
  std::fprintf(stderr, "\n");
  std::abort();
}

template <typename Parse>
bool parses(Parse&& parse) {
  try {
    parse();
    return true;
  } catch (const VersionError&) {
    return false;
  }
}

constexpr std::array kBumpParts = {
    BumpPart::release, BumpPart::major, BumpPart::minor, BumpPart::patch, BumpPart::alpha,
    BumpPart::beta,    BumpPart::rc,    BumpPart::pre,   BumpPart::post,  BumpPart::dev};

// Fixed versions to check compare() against: it must be antisymmetric.
const std::array<Version, 4> kReferences = {parse("1.0"), parse("1!0.1.dev0"),
                                            parse("1.0rc1.post2+abc.3"), parse("0")};

void check_pep440(std::string_view text) {
  Version v;
  if (!parses([&] { v = parse(text); })) return;

  const auto normal = to_string(v);
  Version again;
  check(parses([&] { again = parse(normal); }), "the normal form does not parse");
  check(compare(again, v) == 0, "parse(to_string(v)) does not compare equal to v");
  check(to_string(again) == normal, "normalize(normalize(v)) != normalize(v)");
  check(compare(v, v) == 0, "v does not compare equal to itself");
  for (const auto& reference : kReferences) {
    check(compare(v, reference) == -compare(reference, v), "compare is not antisymmetric");
  }

  std::string tag;
  if (parses([&] { tag = docker_tag(v); })) {
    check(tag.find_first_of("+!") == std::string::npos, "a Docker tag holds '+' or '!'");
  }

  Version public_version = v;
  public_version.local.clear();
  for (const auto part : kBumpParts) {
    Version next;
    if (parses([&] { next = bump(v, {part}); })) {
      check(compare(next, public_version) > 0, "a bump does not come after its input");
      check(parses([&] { parse(to_string(next)); }), "a bumped version does not parse");
    }
  }

  SemVer semver;
  if (parses([&] { semver = to_semver(v); })) {
    SemVer reparsed;
    check(parses([&] { reparsed = parse_semver(to_string(semver)); }),
          "a version mapped to SemVer is not SemVer");
    check(compare(reparsed, semver) == 0, "a mapped SemVer does not round-trip");
  }
}

void check_semver(std::string_view text) {
  SemVer v;
  if (!parses([&] { v = parse_semver(text); })) return;
  check(to_string(v) == text, "SemVer text does not print back as itself");
  check(compare(v, v) == 0, "a SemVer does not compare equal to itself");
  SemVer release = v;
  release.prerelease.clear();
  check(v.prerelease.empty() || compare(v, release) < 0, "a pre-release is not before its release");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  current_input = text;
  check_pep440(text);
  check_semver(text);
  return 0;
}
