#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dp::scm {

// The output of `git describe --tags --long --dirty --abbrev=40`.
struct Description {
  std::string tag;
  std::uint64_t distance = 0;  // commits since the tag
  std::string node;            // the commit id, without describe's 'g'
  bool dirty = false;          // tracked files differ from HEAD
};

// Reads "<tag>-<distance>-g<hex>[-dirty]"; tags may contain dashes themselves. nullopt when the
// text does not have that shape.
std::optional<Description> parse_describe(std::string_view output);

}  // namespace dp::scm
