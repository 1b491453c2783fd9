#include "scm/next_version.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <limits>

#include "scm/git_version.hpp"

namespace dp::scm {
namespace {

// setuptools-scm (>= 9) cuts node ids to 10 characters, its 'g' included.
constexpr std::size_t kNodeHexDigits = 9;

std::uint64_t bumped(std::uint64_t number, const version::Version& tag) {
  if (number == std::numeric_limits<std::uint64_t>::max()) {
    throw ScmError(fmt::format("cannot guess the version after {}: its last number is too large",
                               version::to_string(tag)));
  }
  return number + 1;
}

std::string date_segment(std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  return fmt::format("d{:04}{:02}{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

}  // namespace

version::Version guess_next_version(const version::Version& tag) {
  auto next = tag;
  next.local.clear();
  if (next.dev) {
    if (*next.dev != 0) {
      throw ScmError(fmt::format(
          "cannot guess the version after tag {}: only a .dev0 tag can be followed by "
          "development versions (as in setuptools-scm); drop the tag or tag {}.dev0 instead",
          version::to_string(tag), [&] {
            auto base = next;
            base.dev.reset();
            return version::to_string(base);
          }()));
    }
    next.dev.reset();
  } else if (next.post) {
    next.post = bumped(*next.post, tag);
  } else if (next.pre) {
    next.pre->second = bumped(next.pre->second, tag);
  } else {
    next.release.back() = bumped(next.release.back(), tag);
  }
  return next;
}

version::Version scm_version(const ScmState& state, bool local, std::chrono::sys_days today) {
  const bool exact = state.distance == 0 && !state.dirty;
  auto result = exact ? state.tag : guess_next_version(state.tag);
  if (!exact) result.dev = state.distance;
  result.local = state.tag.local;
  const auto add = [&](std::string segment) {
    if (std::find(result.local.begin(), result.local.end(), segment) == result.local.end()) {
      result.local.push_back(std::move(segment));
    }
  };
  if (!exact) add("g" + state.node.substr(0, kNodeHexDigits));
  if (state.dirty) add(date_segment(today));
  if (!local) result.local.clear();
  return result;
}

}  // namespace dp::scm
