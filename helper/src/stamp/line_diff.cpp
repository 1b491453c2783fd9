#include "stamp/line_diff.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <vector>

#include "text/text.hpp"

namespace dp::stamp {
namespace {

std::string range(std::size_t start, std::size_t count) {
  if (count == 1) return fmt::format("{}", start + 1);
  return fmt::format("{},{}", count == 0 ? start : start + 1, count);
}

// One block of changed lines: [before_start, before_start + before_count) became the `after` ones.
struct Hunk {
  std::size_t before_start = 0;
  std::size_t before_count = 0;
  std::size_t after_start = 0;
  std::size_t after_count = 0;
};

// Stamping changes values within lines, so line counts usually match and each run of changed
// lines is its own hunk; otherwise one hunk spans everything between the common head and tail.
std::vector<Hunk> find_hunks(const std::vector<std::string_view>& before,
                             const std::vector<std::string_view>& after) {
  std::vector<Hunk> hunks;
  if (before.size() == after.size()) {
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (before[i] == after[i]) continue;
      if (!hunks.empty() && hunks.back().before_start + hunks.back().before_count == i) {
        ++hunks.back().before_count;
        ++hunks.back().after_count;
      } else {
        hunks.push_back({i, 1, i, 1});
      }
    }
    return hunks;
  }
  std::size_t head = 0;
  while (head < before.size() && head < after.size() && before[head] == after[head]) ++head;
  std::size_t tail = 0;
  while (tail < before.size() - head && tail < after.size() - head &&
         before[before.size() - 1 - tail] == after[after.size() - 1 - tail]) {
    ++tail;
  }
  hunks.push_back({head, before.size() - head - tail, head, after.size() - head - tail});
  return hunks;
}

}  // namespace

std::string line_diff(std::string_view name, std::string_view before, std::string_view after) {
  if (before == after) return {};
  const auto before_lines = text::split_lines(before);
  const auto after_lines = text::split_lines(after);
  auto diff = fmt::format("--- {}\n+++ {}\n", name, name);
  for (const auto& hunk : find_hunks(before_lines, after_lines)) {
    diff += fmt::format("@@ -{} +{} @@\n", range(hunk.before_start, hunk.before_count),
                        range(hunk.after_start, hunk.after_count));
    for (std::size_t i = 0; i < hunk.before_count; ++i) {
      diff += fmt::format("-{}\n", before_lines[hunk.before_start + i]);
    }
    for (std::size_t i = 0; i < hunk.after_count; ++i) {
      diff += fmt::format("+{}\n", after_lines[hunk.after_start + i]);
    }
  }
  return diff;
}

}  // namespace dp::stamp
