#include "version/pep440.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <compare>

namespace dp::version {
namespace {

int sign(std::strong_ordering order) {
  if (order < 0) return -1;
  if (order > 0) return 1;
  return 0;
}

// Missing release components count as 0, so 1.0 == 1.0.0.
std::strong_ordering compare_release(const std::vector<std::uint64_t>& a,
                                     const std::vector<std::uint64_t>& b) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const auto x = i < a.size() ? a[i] : 0;
    const auto y = i < b.size() ? b[i] : 0;
    if (x != y) return x <=> y;
  }
  return std::strong_ordering::equal;
}

// packaging's sort key for the pre-release part: a bare dev release (1.0.dev0) sorts before every
// pre-release of its release, a version without pre-release after all of them.
std::strong_ordering compare_pre(const Version& a, const Version& b) {
  const auto rank = [](const Version& v) {
    if (!v.pre && !v.post && v.dev) return 0;
    return v.pre ? 1 : 2;
  };
  if (const auto order = rank(a) <=> rank(b); order != 0) return order;
  if (!a.pre) return std::strong_ordering::equal;
  if (const auto order = a.pre->first.compare(b.pre->first) <=> 0; order != 0) return order;
  return a.pre->second <=> b.pre->second;
}

// Absent post sorts first, absent dev last.
std::strong_ordering compare_post(const Version& a, const Version& b) {
  return a.post <=> b.post;
}
std::strong_ordering compare_dev(const Version& a, const Version& b) {
  if (a.dev.has_value() != b.dev.has_value()) return b.dev.has_value() <=> a.dev.has_value();
  return a.dev <=> b.dev;
}

bool is_number(const std::string& segment) {
  return !segment.empty() && segment.find_first_not_of("0123456789") == std::string::npos;
}

// Numeric segments compare as integers (of any length) and sort after alphanumeric ones.
std::strong_ordering compare_local_segment(const std::string& a, const std::string& b) {
  const bool a_number = is_number(a);
  const bool b_number = is_number(b);
  if (a_number != b_number) return a_number <=> b_number;
  if (!a_number) return a.compare(b) <=> 0;
  const auto trim = [](const std::string& s) {
    const auto first = s.find_first_not_of('0');
    return first == std::string::npos ? std::string_view{} : std::string_view{s}.substr(first);
  };
  const auto x = trim(a);
  const auto y = trim(b);
  if (x.size() != y.size()) return x.size() <=> y.size();
  return x.compare(y) <=> 0;
}

// No local part sorts first; otherwise segment by segment, a longer label after its prefix.
std::strong_ordering compare_local(const std::vector<std::string>& a,
                                   const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (const auto order = compare_local_segment(a[i], b[i]); order != 0) return order;
  }
  return a.size() <=> b.size();
}

}  // namespace

std::string to_string(const Version& v) {
  std::string text;
  if (v.epoch != 0) text += fmt::format("{}!", v.epoch);
  for (std::size_t i = 0; i < v.release.size(); ++i) {
    if (i != 0) text += '.';
    text += std::to_string(v.release[i]);
  }
  if (v.pre) text += fmt::format("{}{}", v.pre->first, v.pre->second);
  if (v.post) text += fmt::format(".post{}", *v.post);
  if (v.dev) text += fmt::format(".dev{}", *v.dev);
  for (std::size_t i = 0; i < v.local.size(); ++i) {
    text += (i == 0 ? "+" : ".") + v.local[i];
  }
  return text;
}

std::string normalize(std::string_view text) {
  return to_string(parse(text));
}

int compare(const Version& a, const Version& b) {
  for (const auto order :
       {a.epoch <=> b.epoch, compare_release(a.release, b.release), compare_pre(a, b),
        compare_post(a, b), compare_dev(a, b), compare_local(a.local, b.local)}) {
    if (order != 0) return sign(order);
  }
  return 0;
}

bool is_local(const Version& v) {
  return !v.local.empty();
}

std::string docker_tag(const Version& v) {
  constexpr std::size_t kMaxTagLength = 128;
  auto tag = to_string(v);
  std::replace(tag.begin(), tag.end(), '+', '-');
  std::replace(tag.begin(), tag.end(), '!', '_');
  if (tag.size() > kMaxTagLength) {
    throw VersionError(fmt::format("version '{}' is too long for a Docker tag ({} > {} characters)",
                                   to_string(v), tag.size(), kMaxTagLength));
  }
  return tag;
}

}  // namespace dp::version
