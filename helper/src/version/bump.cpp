#include "version/bump.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <limits>
#include <string>

namespace dp::version {
namespace {

struct PartName {
  std::string_view name;
  BumpPart part;
};
constexpr std::array kPartNames = {
    PartName{"release", BumpPart::release}, PartName{"major", BumpPart::major},
    PartName{"minor", BumpPart::minor},     PartName{"patch", BumpPart::patch},
    PartName{"micro", BumpPart::patch},     PartName{"fix", BumpPart::patch},
    PartName{"alpha", BumpPart::alpha},     PartName{"a", BumpPart::alpha},
    PartName{"beta", BumpPart::beta},       PartName{"b", BumpPart::beta},
    PartName{"rc", BumpPart::rc},           PartName{"c", BumpPart::rc},
    PartName{"pre", BumpPart::pre},         PartName{"post", BumpPart::post},
    PartName{"rev", BumpPart::post},        PartName{"r", BumpPart::post},
    PartName{"dev", BumpPart::dev},
};

std::string_view name_of(BumpPart part) {
  return std::find_if(kPartNames.begin(), kPartNames.end(),
                      [part](const PartName& p) { return p.part == part; })
      ->name;
}

std::uint64_t next(std::uint64_t n, const Version& v) {
  if (n == std::numeric_limits<std::uint64_t>::max()) {
    throw VersionError(fmt::format("cannot bump {}: a number would pass 2^64-1", to_string(v)));
  }
  return n + 1;
}

// The first `keep` release numbers (missing ones as 0) with the last of them incremented, padded
// with zeros to the original length.
std::vector<std::uint64_t> bumped_release(const Version& v, std::size_t keep) {
  std::vector<std::uint64_t> release(std::max(keep, v.release.size()), 0);
  std::copy_n(v.release.begin(), std::min(keep, v.release.size()), release.begin());
  release[keep - 1] = next(release[keep - 1], v);
  return release;
}

Version with_release(const Version& v, std::vector<std::uint64_t> release) {
  Version result;
  result.epoch = v.epoch;
  result.release = std::move(release);
  return result;
}

Version with_pre(const Version& v, std::string phase) {
  const bool same_phase = v.pre && v.pre->first == phase;
  Version result = with_release(v, v.release);
  result.pre.emplace(std::move(phase), same_phase ? next(v.pre->second, v) : 0);
  return result;
}

Version public_part(Version v) {
  v.local.clear();
  return v;
}

}  // namespace

BumpPart parse_bump_part(std::string_view name) {
  for (const auto& entry : kPartNames) {
    if (entry.name == name) return entry.part;
  }
  throw VersionError(fmt::format(
      "unknown version part '{}' (expected release, major, minor, patch, alpha, beta, rc, pre, "
      "post or dev)",
      name));
}

std::vector<BumpPart> parse_bump_parts(std::string_view names) {
  std::vector<BumpPart> parts;
  for (std::size_t start = 0;;) {
    const auto comma = names.find(',', start);
    parts.push_back(parse_bump_part(names.substr(start, comma - start)));
    if (comma == std::string_view::npos) return parts;
    start = comma + 1;
  }
}

Version bump_part(const Version& v, BumpPart part) {
  switch (part) {
    case BumpPart::release:
      return with_release(v, v.release);
    case BumpPart::major:
      return with_release(v, bumped_release(v, 1));
    case BumpPart::minor:
      return with_release(v, bumped_release(v, 2));
    case BumpPart::patch:
      return with_release(v, bumped_release(v, 3));
    case BumpPart::alpha:
      return with_pre(v, "a");
    case BumpPart::beta:
      return with_pre(v, "b");
    case BumpPart::rc:
      return with_pre(v, "rc");
    case BumpPart::pre:
      return with_pre(v, v.pre ? v.pre->first : "a");
    case BumpPart::post: {
      Version result = with_release(v, v.release);
      result.pre = v.pre;
      result.post = v.post ? next(*v.post, v) : 0;
      return result;
    }
    case BumpPart::dev: {
      Version result = public_part(v);
      result.dev = v.dev ? next(*v.dev, v) : 0;
      return result;
    }
  }
  throw VersionError("unknown version part");  // unreachable: the switch covers every part
}

Version bump(const Version& v, const std::vector<BumpPart>& parts) {
  Version result = v;
  for (const auto part : parts) result = bump_part(result, part);
  if (compare(result, public_part(v)) <= 0) {
    std::string names;
    for (const auto part : parts) names += (names.empty() ? "" : ",") + std::string{name_of(part)};
    // A pre- or dev-release of the version itself sorts before it: the release must move on first.
    const bool starts_a_release =
        parts.front() != BumpPart::release && parts.front() != BumpPart::post;
    throw VersionError(fmt::format("bumping {} by {} gives {}, which is not after {}{}",
                                   to_string(v), names, to_string(result), to_string(v),
                                   starts_a_release ? fmt::format("; bump a release part first, as "
                                                                  "in 'patch,{}'",
                                                                  names)
                                                    : ""));
  }
  return result;
}

}  // namespace dp::version
