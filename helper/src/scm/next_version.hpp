#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "version/pep440.hpp"

// setuptools-scm's default version scheme (guess-next-dev) and local scheme (node-and-date), on
// parsed versions; no git involved.
namespace dp::scm {

struct ScmState {
  version::Version tag;        // the nearest version tag, with its own local part if it has one
  std::uint64_t distance = 0;  // commits since the tag
  std::string node;            // the commit id (hex)
  bool dirty = false;          // tracked files changed
};

// The release after `tag` (its local part ignored): a .dev0 tag leaves its .dev0 part, anything
// else bumps its last number: 1.2.3 -> 1.2.4, 1.0rc1 -> 1.0rc2, 1.0.post1 -> 1.0.post2,
// 2.0.dev0 -> 2.0. Throws ScmError for a .devN tag with N > 0, which setuptools-scm refuses too.
version::Version guess_next_version(const version::Version& tag);

// The tag itself when on it and clean; otherwise the next version with .dev<distance>. The local
// part (when `local`): the tag's own, then g<id> when not exactly on the tag, then d<YYYYMMDD> of
// `today` when dirty.
version::Version scm_version(const ScmState& state, bool local, std::chrono::sys_days today);

}  // namespace dp::scm
