#pragma once

#include <string>
#include <string_view>

namespace dp::stamp {

// A unified-diff style view of the lines that differ between `before` and `after` (line endings
// not shown), headed by `name`; empty when they are equal. Meant for people (stamp --dry-run).
std::string line_diff(std::string_view name, std::string_view before, std::string_view after);

}  // namespace dp::stamp
