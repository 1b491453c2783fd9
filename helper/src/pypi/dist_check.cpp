#include "pypi/dist_check.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "pypi/dist_names.hpp"
#include "pypi/errors.hpp"
#include "pypi/upload_form.hpp"

namespace dp::pypi {
namespace {

constexpr std::array<std::string_view, 8> known_metadata_versions = {"1.0", "1.1", "1.2", "2.1",
                                                                     "2.2", "2.3", "2.4", "2.5"};
// Headers packaging reads as one value; a repeat makes twine refuse the file.
constexpr std::array<std::string_view, 16> single_valued_headers = {"Metadata-Version",
                                                                    "Name",
                                                                    "Version",
                                                                    "Summary",
                                                                    "Description",
                                                                    "Keywords",
                                                                    "Home-page",
                                                                    "Author",
                                                                    "Author-email",
                                                                    "License",
                                                                    "Download-URL",
                                                                    "Maintainer",
                                                                    "Maintainer-email",
                                                                    "Requires-Python",
                                                                    "Description-Content-Type",
                                                                    "License-Expression"};

void check_required_fields(const Distribution& distribution, CheckReport& report) {
  const auto& metadata = distribution.metadata;
  const auto where = distribution.metadata_path;
  const auto metadata_version = metadata.first("Metadata-Version");
  if (!metadata_version || metadata_version->empty()) {
    report.errors.push_back(fmt::format("{} has no Metadata-Version", where));
  } else if (std::find(known_metadata_versions.begin(), known_metadata_versions.end(),
                       *metadata_version) == known_metadata_versions.end()) {
    report.warnings.push_back(
        fmt::format("{}: unknown Metadata-Version {}", where, *metadata_version));
  }
  for (const std::string_view header : {"Name", "Version"}) {
    const auto value = metadata.first(header);
    if (!value || value->empty())
      report.errors.push_back(fmt::format("{} has no {}", where, header));
  }
}

void check_fields(const Distribution& distribution, CheckReport& report) {
  const auto& metadata = distribution.metadata;
  for (const auto header : single_valued_headers) {
    const auto count = metadata.all(header).size();
    if (count > 1) {
      report.errors.push_back(fmt::format("{}: {} appears {} times; it takes one value",
                                          distribution.metadata_path, header, count));
    }
  }
  for (const auto& field : metadata.fields) {
    if (!form_name_of(field.name)) {
      report.warnings.push_back(fmt::format("{}: unknown field {} is not uploaded",
                                            distribution.metadata_path, field.name));
    }
  }
  if (metadata.first("Description") && !metadata.body.empty()) {
    report.warnings.push_back(fmt::format(
        "{}: a Description header and a body; the body is uploaded", distribution.metadata_path));
  }
}

void check_names_match(std::string_view what, std::string_view file_name,
                       std::string_view file_project, std::string_view file_version,
                       const Distribution& distribution, CheckReport& report) {
  const auto name = distribution.name();
  const auto version = distribution.version();
  if (!name.empty() && normalize_project_name(file_project) != normalize_project_name(name)) {
    report.errors.push_back(fmt::format("{} {} names project '{}' but its metadata says '{}'", what,
                                        file_name, file_project, name));
  }
  if (!version.empty() && version_for_file_name(file_version) != version_for_file_name(version)) {
    report.errors.push_back(fmt::format("{} {} names version '{}' but its metadata says '{}'", what,
                                        file_name, file_version, version));
  }
}

void check_file_name(const Distribution& distribution, CheckReport& report) {
  const std::string file_name = distribution.path.filename().string();
  if (distribution.kind == DistKind::wheel) {
    const auto wheel = parse_wheel_name(file_name);
    if (!wheel) {
      report.errors.push_back(fmt::format(
          "wheel file name {} is not <name>-<version>[-<build>]-<python>-<abi>-<platform>.whl",
          file_name));
      return;
    }
    check_names_match("wheel file name", file_name, wheel->name, wheel->version, distribution,
                      report);
    return;
  }
  const auto sdist = parse_sdist_name(file_name);
  if (!sdist) {
    report.errors.push_back(
        fmt::format("sdist file name {} is not <name>-<version>.tar.gz or .zip", file_name));
    return;
  }
  check_names_match("sdist file name", file_name, sdist->name, sdist->version, distribution,
                    report);
  const auto root = distribution.metadata_path.substr(0, distribution.metadata_path.find('/'));
  if (root != sdist->name + "-" + sdist->version) {
    report.warnings.push_back(fmt::format("{}: its top-level directory {} differs from {}-{}",
                                          file_name, root, sdist->name, sdist->version));
  }
}

}  // namespace

CheckReport check_distribution(const Distribution& distribution) {
  CheckReport report;
  report.file = distribution.path;
  report.distribution = distribution;
  check_required_fields(distribution, report);
  check_fields(distribution, report);
  check_file_name(distribution, report);
  return report;
}

CheckReport check_distribution(const std::filesystem::path& file) {
  try {
    return check_distribution(inspect_distribution(file));
  } catch (const DistributionError& error) {
    CheckReport report;
    report.file = file;
    // The report names the file already.
    std::string_view message = error.what();
    const std::string prefix = file.string() + ": ";
    if (message.starts_with(prefix)) message.remove_prefix(prefix.size());
    report.errors.emplace_back(message);
    return report;
  }
}

}  // namespace dp::pypi
