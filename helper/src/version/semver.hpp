#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "version/pep440.hpp"

// Semantic Versioning 2.0.0 (https://semver.org), strictly: what the regex semver.org gives accepts
// and nothing else (no leading 'v', no whitespace, no leading zeros in numbers).
namespace dp::version {

// Numbers are kept as their digits: SemVer sets no limit on their size.
struct SemVer {
  std::string major;
  std::string minor;
  std::string patch;
  std::vector<std::string> prerelease;  // dot-separated identifiers after '-'
  std::vector<std::string> build;       // dot-separated identifiers after '+'
};

// Throws VersionError pointing at the offending part:
// "invalid semantic version '1.02.3': leading zero in the minor version at position 2".
SemVer parse_semver(std::string_view text);

std::string to_string(const SemVer& v);

// -1, 0 or 1 by SemVer precedence (spec item 11): major, minor, patch numerically; a pre-release
// before its release; pre-release identifiers one by one, numeric ones by value and before
// alphanumeric ones, alphanumeric ones in ASCII order, more identifiers after fewer. Build
// metadata is ignored, so 1.0.0+a and 1.0.0+b compare equal.
int compare(const SemVer& a, const SemVer& b);

// A PEP 440 version as SemVer, keeping its order wherever it can be kept:
//   1.2 -> 1.2.0, 1.2.3.0 -> 1.2.3 (missing numbers are 0, extra zeros are dropped)
//   1.0a1 -> 1.0.0-alpha.1, 1.0b2 -> 1.0.0-beta.2, 1.0rc3 -> 1.0.0-rc.3
//   1.0+ubuntu.1 -> 1.0.0+ubuntu.1 (the local label becomes build metadata)
// Throws VersionError for what SemVer cannot order the same way: an epoch, a fourth non-zero
// release number, post-releases and dev releases.
SemVer to_semver(const Version& v);

// Text that is SemVer as it is; otherwise text that is PEP 440, mapped by to_semver(). Text that is
// neither throws the SemVer parse error, as the caller asked for SemVer.
SemVer to_semver(std::string_view text);

}  // namespace dp::version
