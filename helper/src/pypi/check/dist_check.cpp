#include "pypi/check/dist_check.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string_view>

#include "pypi/check/description_check.hpp"
#include "pypi/check/dist_layout.hpp"
#include "pypi/check/wheel_record.hpp"
#include "pypi/check/wheel_tags_check.hpp"
#include "pypi/dist/dist_names.hpp"
#include "pypi/dist/dist_scan.hpp"
#include "pypi/dist/metadata_fields.hpp"
#include "pypi/errors.hpp"
#include "version/format_version.hpp"
#include "version/pep440.hpp"

namespace dp::pypi {
namespace {

// Headers packaging reads as one value; a repeat makes twine refuse the file.
bool is_single_valued(const MetadataFieldSpec& field) {
  return field.shape == FieldShape::single || field.shape == FieldShape::keywords;
}

bool same_project(std::string_view a, std::string_view b) {
  return normalize_project_name(a) == normalize_project_name(b);
}

// PEP 440 equality (1.0 == 1.0.0 == 1.0.0.0, 1.0RC1 == 1.0rc1), as pip compares a wheel's file
// name with its metadata; versions that do not parse compare as file names spell them.
bool same_version(std::string_view a, std::string_view b) {
  try {
    return version::compare(version::parse(a), version::parse(b)) == 0;
  } catch (const version::VersionError&) {
    return version_for_file_name(a) == version_for_file_name(b);
  }
}

// "<name>-<version>" for the metadata's name and version, at any '-' (legacy names hold some).
bool names_name_and_version(std::string_view stem, const Distribution& distribution) {
  for (auto dash = stem.find('-'); dash != std::string_view::npos;
       dash = stem.find('-', dash + 1)) {
    if (same_project(stem.substr(0, dash), distribution.name()) &&
        same_version(stem.substr(dash + 1), distribution.version())) {
      return true;
    }
  }
  return false;
}

// The core metadata specification's rule for Metadata-Version: a newer minor version is read
// with a warning, a newer major version is refused; older versions must be published ones.
void check_metadata_version(const Distribution& distribution, CheckFindings& findings) {
  const auto& where = distribution.metadata_path;
  const auto metadata_version = distribution.metadata.first("Metadata-Version");
  if (!metadata_version || metadata_version->empty()) {
    findings.errors.push_back(fmt::format("{} has no Metadata-Version", where));
    return;
  }
  const auto newest = version::to_string(newest_metadata_version);
  switch (version::format_support(*metadata_version, newest_metadata_version)) {
    case version::FormatSupport::known:
      if (is_published_metadata_version(*metadata_version)) return;
      [[fallthrough]];
    case version::FormatSupport::malformed:
      findings.errors.push_back(
          fmt::format("{}: Metadata-Version {} is not one of 1.0, 1.1, 1.2, 2.1 to {}", where,
                      *metadata_version, newest));
      return;
    case version::FormatSupport::newer_major:
      findings.errors.push_back(fmt::format(
          "{}: Metadata-Version {} is a new major version that this docker-pipeline cannot read "
          "(it reads up to {}); upgrade docker-pipeline",
          where, *metadata_version, newest));
      return;
    case version::FormatSupport::newer_minor: {
      std::vector<std::string> unknown;
      for (const auto& field : distribution.metadata.fields) {
        if (metadata_field(field.name) == nullptr) unknown.push_back(field.name);
      }
      findings.warnings.push_back(fmt::format(
          "{}: Metadata-Version {} is newer than {}, the newest this docker-pipeline knows; read "
          "as {}{}",
          where, *metadata_version, newest, newest,
          unknown.empty() ? std::string{}
                          : fmt::format(", and its fields unknown to {} are not uploaded: {}",
                                        newest, fmt::join(unknown, ", "))));
      return;
    }
  }
}

void check_required_fields(const Distribution& distribution, CheckReport& report) {
  const auto& metadata = distribution.metadata;
  const auto& where = distribution.metadata_path;
  check_metadata_version(distribution, report);
  for (const std::string_view header : {"Name", "Version"}) {
    const auto value = metadata.first(header);
    if (!value || value->empty())
      report.errors.push_back(fmt::format("{} has no {}", where, header));
  }
  if (const auto version = metadata.first("Version"); version && !version->empty()) {
    try {
      version::parse(*version);
    } catch (const version::VersionError& error) {
      report.errors.push_back(fmt::format("{}: Version is not PEP 440: {}", where, error.what()));
    }
  }
}

// The Metadata-Version a file is read as: its own, or the newest known for a newer minor one.
std::optional<version::FormatVersion> read_as_version(const Distribution& distribution) {
  const auto declared = version::parse_format_version(distribution.metadata_version());
  if (!declared || declared->major != newest_metadata_version.major) return declared;
  return std::min(*declared, newest_metadata_version);
}

// Fields that came with a later Metadata-Version than the file declares, as packaging (and so
// twine and PyPI) finds them, one message per field. setuptools wrote License-File into 2.1
// files for years; twine drops it from those instead (see upload_form_fields), and so do we.
std::vector<std::string> fields_newer_than_declared(const Distribution& distribution) {
  std::vector<std::string> messages;
  const auto read_as = read_as_version(distribution);
  if (!read_as) return messages;
  std::vector<std::string_view> seen;
  for (const auto& field : distribution.metadata.fields) {
    const MetadataFieldSpec* spec = metadata_field(field.name);
    if (spec == nullptr || spec->added <= *read_as || spec->header == "License-File" ||
        std::find(seen.begin(), seen.end(), spec->header) != seen.end()) {
      continue;
    }
    seen.push_back(spec->header);
    messages.push_back(fmt::format(
        "{}: {} came with Metadata-Version {}; the file declares {}", distribution.metadata_path,
        spec->header, version::to_string(spec->added), distribution.metadata_version()));
  }
  return messages;
}

void check_fields(const Distribution& distribution, CheckReport& report) {
  const auto& metadata = distribution.metadata;
  const auto& where = distribution.metadata_path;
  const bool newer_minor =
      version::format_support(distribution.metadata_version(), newest_metadata_version) ==
      version::FormatSupport::newer_minor;
  std::vector<std::string_view> counted;
  for (const auto& field : metadata.fields) {
    const MetadataFieldSpec* spec = metadata_field(field.name);
    if (spec == nullptr) {
      // A newer minor version's own fields are named once, by check_metadata_version.
      if (!newer_minor) {
        report.warnings.push_back(
            fmt::format("{}: unknown field {} is not uploaded", where, field.name));
      }
      continue;
    }
    if (is_single_valued(*spec) &&
        std::find(counted.begin(), counted.end(), spec->header) == counted.end()) {
      counted.push_back(spec->header);
      if (const auto count = metadata.all(spec->header).size(); count > 1) {
        report.errors.push_back(
            fmt::format("{}: {} appears {} times; it takes one value", where, spec->header, count));
      }
    }
  }
  for (auto& message : fields_newer_than_declared(distribution)) {
    report.errors.push_back(std::move(message));
  }
  if (metadata.first("Description") && !metadata.body.empty()) {
    report.warnings.push_back(
        fmt::format("{}: a Description header and a body; the body is uploaded", where));
  }
}

void check_names_match(std::string_view what, std::string_view file_name,
                       std::string_view file_project, std::string_view file_version,
                       const Distribution& distribution, CheckReport& report) {
  const auto name = distribution.name();
  const auto version = distribution.version();
  if (!name.empty() && !same_project(file_project, name)) {
    report.errors.push_back(fmt::format("{} {} names project '{}' but its metadata says '{}'", what,
                                        file_name, file_project, name));
  }
  if (!version.empty() && !same_version(file_version, version)) {
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
  const auto stem =
      std::string_view{file_name}.substr(0, sdist->name.size() + 1 + sdist->version.size());
  if (!names_name_and_version(stem, distribution)) {
    check_names_match("sdist file name", file_name, sdist->name, sdist->version, distribution,
                      report);
  }
}

// The .dist-info folder or the sdist's top-level folder: <name>-<version> of the metadata.
void check_folder_name(const Distribution& distribution, CheckReport& report) {
  const auto folder =
      std::string_view{distribution.metadata_path}.substr(0, distribution.metadata_path.find('/'));
  auto stem = folder;
  if (distribution.kind == DistKind::wheel)
    stem.remove_suffix(std::string_view{".dist-info"}.size());
  if (distribution.name().empty() || distribution.version().empty() ||
      names_name_and_version(stem, distribution)) {
    return;
  }
  report.errors.push_back(fmt::format("{} is not {}-{}{}, the name and version of its metadata",
                                      folder, distribution.name(), distribution.version(),
                                      distribution.kind == DistKind::wheel ? ".dist-info" : ""));
}

ScanOptions scan_options(DistKind kind) {
  ScanOptions options;
  if (kind == DistKind::wheel) {
    options.hash_files = true;
    options.keep = [](std::string_view path) {
      const auto folder = top_level_folder(path);
      if (!folder.ends_with(".dist-info")) return false;
      const auto file = path.substr(folder.size() + 1);
      return file == "METADATA" || file == "WHEEL" || file == "RECORD";
    };
  } else {
    options.keep = [](std::string_view path) {
      const auto folder = top_level_folder(path);
      return !folder.empty() && path.substr(folder.size() + 1) == "PKG-INFO";
    };
  }
  return options;
}

// Everything past reading the archive; throws DistributionError for an unreadable one.
void check_archive(const std::filesystem::path& file, DistKind kind, CheckReport& report) {
  const auto format =
      kind == DistKind::sdist_tar_gz ? archive::Format::tar_gz : archive::Format::zip;
  const auto scan = scan_archive(file, format, scan_options(kind));
  const auto folder = kind == DistKind::wheel
                          ? check_wheel_layout(scan, file.filename().string(), report)
                          : check_sdist_layout(scan, report);
  if (kind == DistKind::wheel && folder) {
    report.append(check_wheel_record(scan, *folder + "/RECORD"));
    report.append(check_wheel_tags(scan, file.filename().string(), *folder));
  }
  if (!folder) return;

  Distribution distribution;
  distribution.path = file;
  distribution.kind = kind;
  distribution.filetype = filetype_of(kind);
  distribution.pyversion = is_sdist(kind) ? "source" : wheel_pyversion(file.filename().string());
  distribution.metadata_path = *folder + (kind == DistKind::wheel ? "/METADATA" : "/PKG-INFO");
  distribution.metadata = parse_core_metadata(scan.kept.at(distribution.metadata_path));
  const auto metadata_report = check_distribution(distribution);
  report.append(metadata_report);
  check_folder_name(distribution, report);
  report.distribution = std::move(distribution);
}

// What both check_uploadable and check_distribution require.
CheckReport check_names_and_version(const Distribution& distribution) {
  CheckReport report;
  report.file = distribution.path;
  report.distribution = distribution;
  check_required_fields(distribution, report);
  check_file_name(distribution, report);
  return report;
}

}  // namespace

CheckReport check_uploadable(const Distribution& distribution) {
  CheckReport report = check_names_and_version(distribution);
  for (const auto& message : fields_newer_than_declared(distribution)) {
    report.warnings.push_back(message + " (PyPI refuses such a file; this index may take it)");
  }
  return report;
}

CheckReport check_distribution(const Distribution& distribution) {
  CheckReport report = check_names_and_version(distribution);
  check_fields(distribution, report);
  report.append(check_description(distribution.metadata));
  return report;
}

CheckReport check_distribution(const std::filesystem::path& file) {
  CheckReport report;
  report.file = file;
  try {
    const auto kind = dist_kind_of(file);
    if (!kind) {
      throw DistributionError(
          fmt::format("{}: unknown distribution format (expected a .whl, .tar.gz or .zip file)",
                      file.string()));
    }
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) {
      throw DistributionError(fmt::format("{}: no such file", file.string()));
    }
    check_archive(file, *kind, report);
  } catch (const DistributionError& error) {
    // The report names the file already.
    std::string_view message = error.what();
    const std::string prefix = file.string() + ": ";
    if (message.starts_with(prefix)) message.remove_prefix(prefix.size());
    report.errors.emplace_back(message);
  }
  return report;
}

}  // namespace dp::pypi
