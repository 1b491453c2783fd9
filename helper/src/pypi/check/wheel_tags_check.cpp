#include "pypi/check/wheel_tags_check.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "pypi/config/repository.hpp"
#include "pypi/dist/core_metadata.hpp"
#include "pypi/dist/dist_names.hpp"
#include "pypi/dist/wheel_tags.hpp"
#include "pypi/errors.hpp"

namespace dp::pypi {

CheckFindings check_wheel_tags(const DistScan& scan, std::string_view file_name,
                               const std::string& dist_info) {
  CheckFindings findings;
  const auto wheel_file = scan.kept.find(dist_info + "/WHEEL");
  const auto name = parse_wheel_name(file_name);
  if (wheel_file == scan.kept.end() || !name) return findings;
  const auto wheel = parse_core_metadata(wheel_file->second);

  const auto named = wheel_tags(*name);
  const std::set<std::string> from_name(named.begin(), named.end());
  const auto lines = wheel.all("Tag");
  const std::set<std::string> from_wheel(lines.begin(), lines.end());
  std::vector<std::string> not_in_wheel;
  std::vector<std::string> not_in_name;
  std::set_difference(from_name.begin(), from_name.end(), from_wheel.begin(), from_wheel.end(),
                      std::back_inserter(not_in_wheel));
  std::set_difference(from_wheel.begin(), from_wheel.end(), from_name.begin(), from_name.end(),
                      std::back_inserter(not_in_name));
  if (!not_in_wheel.empty() || !not_in_name.empty()) {
    findings.errors.push_back(fmt::format(
        "the file name's tags and {}/WHEEL's Tag: lines disagree: {} in the name only, {} in "
        "WHEEL only (rename the wheel with `wheel tags`, or build it again)",
        dist_info, not_in_wheel.empty() ? "none" : fmt::format("{}", fmt::join(not_in_wheel, ", ")),
        not_in_name.empty() ? "none" : fmt::format("{}", fmt::join(not_in_name, ", "))));
  }

  if (wheel.first("Root-Is-Purelib").value_or("") == "true") {
    for (const auto& entry : scan.entries) {
      const std::string_view path = entry.path;
      const bool compiled = path.ends_with(".so") || path.find(".so.") != std::string_view::npos ||
                            path.ends_with(".pyd");
      if (entry.is_regular_file && compiled) {
        findings.errors.push_back(fmt::format(
            "{}/WHEEL says Root-Is-Purelib: true, but the wheel holds the compiled module {}: "
            "a wheel with compiled code is platlib (Root-Is-Purelib: false) and tagged for its "
            "platform",
            dist_info, path));
        break;
      }
    }
  }
  return findings;
}

std::vector<std::string> platforms_pypi_refuses(std::string_view wheel_file_name) {
  std::vector<std::string> refused;
  const auto name = parse_wheel_name(wheel_file_name);
  if (!name) return refused;
  std::string_view platforms = name->platform_tag;
  while (!platforms.empty()) {
    const auto dot = platforms.find('.');
    const auto platform = platforms.substr(0, dot);
    if (platform.starts_with("linux_") && platform != "linux_armv6l" &&
        platform != "linux_armv7l") {
      refused.emplace_back(platform);
    }
    platforms.remove_prefix(dot == std::string_view::npos ? platforms.size() : dot + 1);
  }
  return refused;
}

std::string refused_platform_problem(std::string_view wheel_file_name) {
  const auto refused = platforms_pypi_refuses(wheel_file_name);
  if (refused.empty()) return {};
  return fmt::format(
      "{}: platform tag {} is refused by PyPI and TestPyPI (it does not say which C library the "
      "wheel needs): repair it into a manylinux wheel with `auditwheel repair` in the image that "
      "built it",
      wheel_file_name, fmt::join(refused, ", "));
}

void require_index_platforms(const std::vector<Distribution>& dists, std::string_view url) {
  if (!is_pypi(url)) return;
  for (const auto& dist : dists) {
    const auto problem = refused_platform_problem(dist.path.filename().string());
    if (!problem.empty()) throw DistributionError(fmt::format("{}; nothing was uploaded", problem));
  }
}

}  // namespace dp::pypi
