#include "pypi/check/dist_layout.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <set>

#include "pypi/dist/core_metadata.hpp"
#include "pypi/dist/dist_names.hpp"
#include "version/format_version.hpp"

namespace dp::pypi {
namespace {

using FolderSet = std::set<std::string, std::less<>>;

constexpr version::FormatVersion newest_wheel_version{1, 0};
// The folder of a build context that the pipeline fills (docker/build_context.hpp).
constexpr std::string_view kContextAdditions = ".docker-pipeline/";

FolderSet top_level_entries(const DistScan& scan) {
  FolderSet tops;
  for (const auto& entry : scan.entries) {
    const auto slash = entry.path.find('/');
    tops.emplace(entry.path.substr(0, slash));
  }
  tops.erase("");
  return tops;
}

void check_wheel_file(const DistScan& scan, const std::string& dist_info, CheckFindings& findings) {
  const auto wheel = scan.kept.find(dist_info + "/WHEEL");
  if (wheel == scan.kept.end()) return;
  const auto version = parse_core_metadata(wheel->second).first("Wheel-Version");
  if (!version || version->empty()) {
    findings.errors.push_back(fmt::format("{}/WHEEL has no Wheel-Version", dist_info));
    return;
  }
  // The wheel specification's rule: an installer warns of a newer minor Wheel-Version and
  // refuses a newer major one (pip does).
  switch (version::format_support(*version, newest_wheel_version)) {
    case version::FormatSupport::known:
      return;
    case version::FormatSupport::newer_minor:
      findings.warnings.push_back(fmt::format(
          "{}/WHEEL: Wheel-Version {} is newer than {}, the newest this docker-pipeline knows",
          dist_info, *version, version::to_string(newest_wheel_version)));
      return;
    case version::FormatSupport::newer_major:
    case version::FormatSupport::malformed:
      findings.errors.push_back(fmt::format(
          "{}/WHEEL: Wheel-Version {} is not 1.x (pip refuses it)", dist_info, *version));
      return;
  }
}

}  // namespace

std::string_view top_level_folder(std::string_view path) {
  const auto slash = path.find('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

std::optional<std::string> check_wheel_layout(const DistScan& scan, std::string_view file_name,
                                              CheckFindings& findings) {
  FolderSet dist_infos;
  for (const auto& entry : scan.entries) {
    const auto top = top_level_folder(entry.path);
    if (top.ends_with(".dist-info")) dist_infos.emplace(top);
  }
  if (dist_infos.empty()) {
    findings.errors.push_back("no <name>-<version>.dist-info folder in the wheel");
    return std::nullopt;
  }
  std::string chosen = *dist_infos.begin();
  if (dist_infos.size() > 1) {
    findings.errors.push_back(fmt::format("a wheel has one .dist-info folder, this one has {}: {}",
                                          dist_infos.size(), fmt::join(dist_infos, ", ")));
    if (const auto wheel = parse_wheel_name(file_name)) {
      const auto wanted = fmt::format("{}-{}.dist-info", wheel->name, wheel->version);
      if (dist_infos.contains(wanted)) chosen = wanted;
    }
  }
  for (const char* required : {"METADATA", "WHEEL", "RECORD"}) {
    if (!scan.kept.contains(fmt::format("{}/{}", chosen, required))) {
      findings.errors.push_back(fmt::format("no {}/{} in the wheel", chosen, required));
    }
  }
  check_wheel_file(scan, chosen, findings);
  if (!scan.kept.contains(chosen + "/METADATA")) return std::nullopt;
  return chosen;
}

std::optional<std::string> check_sdist_layout(const DistScan& scan, CheckFindings& findings) {
  const auto tops = top_level_entries(scan);
  if (tops.size() != 1) {
    findings.errors.push_back(fmt::format(
        "an sdist holds exactly one top-level folder, this one holds {}",
        tops.empty() ? "nothing" : fmt::format("{}: {}", tops.size(), fmt::join(tops, ", "))));
  }
  // What a pipeline adds to the build context (its WHEELHOUSE, under docker::kWheelhouseInContext)
  // is the build's, never the package's: `COPY . .` brings it along into the image, and a build
  // backend that takes every file it finds into the sdist.
  std::size_t added = 0;
  for (const auto& entry : scan.entries) {
    const auto folder = top_level_folder(entry.path);
    if (!folder.empty() && entry.is_regular_file &&
        std::string_view{entry.path}.substr(folder.size() + 1).starts_with(kContextAdditions)) {
      ++added;
    }
  }
  if (added > 0) {
    findings.errors.push_back(fmt::format(
        "the sdist holds {} file{} under {}, what the pipeline adds to the build context (its "
        "WHEELHOUSE), brought in by COPY . .: exclude {} from the sdist (scikit-build-core: "
        "sdist.exclude; setuptools: prune in MANIFEST.in; hatchling: exclude)",
        added, added == 1 ? "" : "s", kContextAdditions, kContextAdditions));
  }
  // With several tops, still read the metadata where one has it, so the other rules can run.
  for (const auto& top : tops) {
    if (scan.kept.contains(top + "/PKG-INFO")) return top;
  }
  if (tops.size() == 1) {
    findings.errors.push_back(fmt::format("no {}/PKG-INFO in the sdist", *tops.begin()));
  }
  return std::nullopt;
}

}  // namespace dp::pypi
