#pragma once

#include <string_view>
#include <vector>

#include "version/pep440.hpp"

// The next version after a given one, by the rules of Hatch's "standard" version scheme
// (`hatch version minor,rc`), which follows PEP 440.
namespace dp::version {

enum class BumpPart { release, major, minor, patch, alpha, beta, rc, pre, post, dev };

// "release", "major", "minor", "patch" (or "micro", "fix"), "alpha" (or "a"), "beta" (or "b"),
// "rc" (or "c"), "pre", "post" (or "rev", "r"), "dev". Throws VersionError for anything else.
BumpPart parse_bump_part(std::string_view name);

// A comma-separated list of parts applied left to right, as in "minor,pre".
std::vector<BumpPart> parse_bump_parts(std::string_view names);

// One step; every part after the bumped one is dropped, the parts before it kept:
//   release: 1.3.0rc1 -> 1.3.0       (drops pre/post/dev/local)
//   major:   1.2.3 -> 2.0.0          minor: 1.2.3 -> 1.3.0, 1 -> 1.1
//   patch:   1.2.3 -> 1.2.4, 1.2 -> 1.2.1, 1.3.0rc1 -> 1.3.1
//   alpha/beta/rc: the next number of that phase, or 0 when switching to it:
//            1.0a1 -> 1.0a2 (alpha), 1.0a1 -> 1.0b0 (beta), 1.0 -> 1.0rc0 (rc)
//   pre:     the next number of the current phase, else alpha 0: 1.0rc1 -> 1.0rc2, 1.0 -> 1.0a0
//   post:    1.0 -> 1.0.post0, 1.0.post0 -> 1.0.post1 (keeps pre)
//   dev:     1.0.dev1 -> 1.0.dev2, 1.0 -> 1.0.dev0 (keeps pre and post)
// The release keeps its length (major of 1.2.3 is 2.0.0) and the epoch is kept.
// The result may sort before its input (1.0 -> 1.0rc0); bump() is the checked version.
Version bump_part(const Version& v, BumpPart part);

// Applies the parts in order and requires the result to come after the input's public version;
// otherwise throws VersionError, e.g. "bumping 1.0 by dev gives 1.0.dev0, which is not after
// 1.0; bump a release part first, as in 'patch,dev'".
Version bump(const Version& v, const std::vector<BumpPart>& parts);

}  // namespace dp::version
