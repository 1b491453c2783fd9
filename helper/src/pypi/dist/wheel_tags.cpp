#include "pypi/dist/wheel_tags.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <map>

namespace dp::pypi {
namespace {

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? text.npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::optional<int> glibc_minor(std::string_view glibc) {
  const auto parts = split(glibc, '.');
  int major = 0;
  int minor = 0;
  if (parts.size() < 2 ||
      std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), major).ec !=
          std::errc{} ||
      std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), minor).ec !=
          std::errc{} ||
      major != 2) {
    return std::nullopt;
  }
  return minor;
}

// manylinux_2_Y_<machine> from the interpreter's glibc down to 2.5, the PEP 513/571/599 names
// right after the versions they alias, then linux_<machine>.
std::vector<std::string> platforms(const Interpreter& in) {
  static const std::map<int, std::string_view> kLegacy = {
      {17, "manylinux2014"}, {12, "manylinux2010"}, {5, "manylinux1"}};
  std::vector<std::string> result;
  if (const auto newest = glibc_minor(in.glibc)) {
    for (int minor = *newest; minor >= 5; --minor) {
      result.push_back(fmt::format("manylinux_2_{}_{}", minor, in.machine));
      if (const auto legacy = kLegacy.find(minor); legacy != kLegacy.end()) {
        result.push_back(fmt::format("{}_{}", legacy->second, in.machine));
      }
    }
  }
  result.push_back(fmt::format("linux_{}", in.machine));
  return result;
}

}  // namespace

std::vector<std::string> supported_tags(const Interpreter& in) {
  std::vector<std::string> tags;
  const auto platform_list = platforms(in);
  const auto add = [&](const std::string& python, std::string_view abi) {
    for (const auto& platform : platform_list)
      tags.push_back(fmt::format("{}-{}-{}", python, abi, platform));
  };
  const auto py = [&](int minor) { return fmt::format("py{}{}", in.major, minor); };
  if (in.implementation == "cpython") {
    const auto cp = fmt::format("cp{}{}", in.major, in.minor);
    add(cp, cp);
    add(cp, "abi3");
    add(cp, "none");
    for (int minor = in.minor - 1; minor >= 2; --minor)
      add(fmt::format("cp{}{}", in.major, minor), "abi3");
  }
  // packaging's compatible_tags(): pyXY and pyX for the platforms, then pure wheels down to pyX0.
  std::vector<std::string> python_range = {py(in.minor), fmt::format("py{}", in.major)};
  for (int minor = in.minor - 1; minor >= 0; --minor) python_range.push_back(py(minor));
  for (const auto& python : python_range) add(python, "none");
  for (const auto& python : python_range) tags.push_back(python + "-none-any");
  return tags;
}

std::vector<std::string> wheel_tags(const WheelName& wheel) {
  std::vector<std::string> tags;
  for (const auto& python : split(wheel.python_tag, '.')) {
    for (const auto& abi : split(wheel.abi_tag, '.')) {
      for (const auto& platform : split(wheel.platform_tag, '.')) {
        tags.push_back(fmt::format("{}-{}-{}", python, abi, platform));
      }
    }
  }
  return tags;
}

std::optional<std::string> best_wheel(const std::vector<std::string>& wheel_files,
                                      const std::vector<std::string>& supported) {
  std::map<std::string_view, std::size_t> rank;
  for (std::size_t i = 0; i < supported.size(); ++i) rank.emplace(supported[i], i);
  std::optional<std::string> best;
  std::size_t best_rank = supported.size();
  for (const auto& file : wheel_files) {
    const auto name = parse_wheel_name(file);
    if (!name) continue;
    for (const auto& tag : wheel_tags(*name)) {
      const auto found = rank.find(tag);
      if (found != rank.end() && found->second < best_rank) {
        best_rank = found->second;
        best = file;
      }
    }
  }
  return best;
}

}  // namespace dp::pypi
