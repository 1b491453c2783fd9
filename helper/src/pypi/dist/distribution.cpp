#include "pypi/dist/distribution.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <map>
#include <set>

#include "pypi/dist/dist_scan.hpp"
#include "pypi/errors.hpp"

namespace dp::pypi {
namespace {

// "a/b/c" -> {"a", "b/c"}; "a" -> {"a", ""}.
std::pair<std::string_view, std::string_view> split_first(std::string_view path) {
  const auto slash = path.find('/');
  if (slash == std::string_view::npos) return {path, {}};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

// Candidate metadata files keyed by their top-level directory.
using MetadataByDirectory = std::map<std::string, std::string, std::less<>>;

// The files a scan kept, by the top-level directory each is in.
MetadataByDirectory by_top_directory(std::map<std::string, std::string, std::less<>> kept) {
  MetadataByDirectory candidates;
  for (auto& [path, content] : kept) {
    candidates.emplace(split_first(path).first, std::move(content));
  }
  return candidates;
}

std::pair<std::string, std::string> wheel_metadata(const std::filesystem::path& file) {
  auto scan = scan_archive(file, archive::Format::zip, {.keep = [](std::string_view path) {
                             const auto [top, rest] = split_first(path);
                             return top.ends_with(".dist-info") && rest == "METADATA";
                           }});
  auto candidates = by_top_directory(std::move(scan.kept));
  if (candidates.empty()) {
    throw DistributionError(
        fmt::format("{}: no <name>-<version>.dist-info/METADATA in the wheel", file.string()));
  }
  std::string wanted;
  if (const auto wheel = parse_wheel_name(file.filename().string())) {
    wanted = fmt::format("{}-{}.dist-info", wheel->name, wheel->version);
  }
  auto chosen = candidates.find(wanted);
  if (chosen == candidates.end()) {
    if (candidates.size() > 1) {
      std::vector<std::string> directories;
      for (const auto& candidate : candidates) directories.push_back(candidate.first);
      throw DistributionError(fmt::format("{}: several .dist-info directories ({}) and none is {}",
                                          file.string(), fmt::join(directories, ", "), wanted));
    }
    chosen = candidates.begin();
  }
  return {chosen->first + "/METADATA", std::move(chosen->second)};
}

std::pair<std::string, std::string> sdist_metadata(const std::filesystem::path& file,
                                                   archive::Format format) {
  std::set<std::string, std::less<>> top_level;
  auto scan = scan_archive(file, format, {.keep = [](std::string_view path) {
                             return split_first(path).second == "PKG-INFO";
                           }});
  for (const auto& entry : scan.entries) {
    if (const auto top = split_first(entry.path).first; !top.empty()) top_level.emplace(top);
  }
  auto candidates = by_top_directory(std::move(scan.kept));
  if (top_level.size() != 1) {
    throw DistributionError(fmt::format(
        "{}: an sdist holds exactly one top-level directory, this one holds {}", file.string(),
        top_level.empty() ? "nothing" : fmt::format("{}", fmt::join(top_level, ", "))));
  }
  const auto& root = *top_level.begin();
  const auto found = candidates.find(root);
  if (found == candidates.end()) {
    throw DistributionError(fmt::format("{}: no {}/PKG-INFO in the sdist", file.string(), root));
  }
  return {root + "/PKG-INFO", std::move(found->second)};
}

}  // namespace

Distribution inspect_distribution(const std::filesystem::path& file) {
  const auto kind = dist_kind_of(file);
  if (!kind) {
    throw DistributionError(fmt::format(
        "{}: unknown distribution format (expected a .whl, .tar.gz or .zip file)", file.string()));
  }
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    throw DistributionError(fmt::format("{}: no such file", file.string()));
  }

  Distribution distribution;
  distribution.path = file;
  distribution.kind = *kind;
  distribution.filetype = filetype_of(*kind);
  distribution.pyversion = is_sdist(*kind) ? "source" : wheel_pyversion(file.filename().string());
  auto [metadata_path, text] =
      *kind == DistKind::wheel
          ? wheel_metadata(file)
          : sdist_metadata(file, *kind == DistKind::sdist_zip ? archive::Format::zip
                                                              : archive::Format::tar_gz);
  distribution.metadata_path = std::move(metadata_path);
  distribution.metadata = parse_core_metadata(text);
  return distribution;
}

}  // namespace dp::pypi
