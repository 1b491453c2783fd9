#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pypi/dist/distribution.hpp"

// Which versions a release may upload, checked before the first byte is sent.
namespace dp::pypi {

// A release's dists carry its version (PEP 440, compared normalized) both in their file name
// and in their metadata: a dist left over from another version, or built before a stamp took
// effect, stops the release. Returns what is wrong with `dist`, naming both versions and the
// fix, or nothing.
std::optional<std::string> release_version_mismatch(const Distribution& dist,
                                                    std::string_view expected);

// Throws DistributionError naming the file when a dist has another version.
void require_release_version(const std::vector<Distribution>& dists, std::string_view expected);

// A local version (1.0+g1a2b) is refused by public indexes, so it goes only to an index on this
// host (localhost, 127.0.0.0/8, ::1) unless `allowed`. Throws DistributionError naming the file.
void require_publishable_versions(const std::vector<Distribution>& dists,
                                  std::string_view repository_url, bool allowed);

// True when the URL's host is this machine.
bool is_loopback_url(std::string_view url);

}  // namespace dp::pypi
