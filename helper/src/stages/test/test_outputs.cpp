#include "stages/test/test_outputs.hpp"

#include <fmt/core.h>
#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "pypi/dist/dist_names.hpp"
#include "stages/test/staging_dir.hpp"
#include "text/file.hpp"
#include "text/text.hpp"
#include "version/pep440.hpp"

namespace dp::docker {
namespace {

namespace fs = std::filesystem;

std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::optional<version::Version> parsed_version(std::string_view text) {
  try {
    return version::parse(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string version_in_name(const std::string& file_name) {
  const auto kind = pypi::dist_kind_of(file_name);
  if (!kind) return {};
  if (*kind == pypi::DistKind::wheel) {
    const auto wheel = pypi::parse_wheel_name(file_name);
    return wheel ? wheel->version : std::string();
  }
  const auto sdist = pypi::parse_sdist_name(file_name);
  return sdist ? sdist->version : std::string();
}

void empty_folder(const fs::path& folder) {
  fs::remove_all(folder);
  fs::create_directories(folder);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> artifact_names(
    const std::vector<std::string>& artifacts) {
  std::vector<std::pair<std::string, std::string>> named;
  std::map<std::string, std::string> taken;
  for (const auto& artifact : artifacts) {
    const auto path = without_trailing_slashes(artifact);
    const auto name = fs::path(path).filename().string();
    if (name.empty() || name == "." || name == "..") {
      throw std::invalid_argument(
          fmt::format("ARTIFACTS '{}' names no file or folder to copy", artifact));
    }
    if (const auto [it, added] = taken.emplace(name, artifact); !added) {
      throw std::invalid_argument(
          fmt::format("ARTIFACTS '{}' and '{}' would both be copied to artifacts/{}; copy their "
                      "parent folder instead",
                      it->second, artifact, name));
    }
    named.emplace_back(path, name);
  }
  return named;
}

CopiedArtifacts copy_artifacts(Container& container, const std::vector<std::string>& artifacts,
                               const fs::path& folder) {
  const auto named = artifact_names(artifacts);
  remove_stale_staging(folder.parent_path());
  const StagingDir staging(folder.parent_path());
  const auto staged = staging.path() / "artifacts";
  fs::create_directory(staged);
  CopiedArtifacts copied;
  for (const auto& [path, name] : named) {
    const auto failure = container.try_copy(path, staged / name);
    if (!failure) {
      copied.names.push_back(name);
    } else if (failure->not_found) {
      copied.warnings.push_back(
          fmt::format("ARTIFACTS {} not copied: {}", path, failure->complaint));
    } else {
      throw EngineError(fmt::format("cannot copy ARTIFACTS {} out of the container: {}", path,
                                    failure->complaint));
    }
  }
  fs::remove_all(folder);  // a folder is renamed only onto none
  text::move_into_place(staged, folder);
  return copied;
}

DistSelection select_dists(const std::vector<std::string>& file_names, std::string_view version) {
  const auto wanted = parsed_version(version);
  DistSelection selection;
  for (const auto& name : file_names) {
    const auto found = parsed_version(version_in_name(name));
    const bool match = found && wanted && version::compare(*found, *wanted) == 0;
    (match ? selection.dists : selection.others).push_back(name);
  }
  std::sort(selection.dists.begin(), selection.dists.end());
  std::sort(selection.others.begin(), selection.others.end());
  return selection;
}

DistSelection copy_dists(Container& container, const std::string& dist_dir, const fs::path& folder,
                         std::string_view version) {
  remove_stale_staging(folder.parent_path());
  const StagingDir staging(folder.parent_path());
  const auto staged = staging.path() / "dist";
  if (const auto failure = container.try_copy(without_trailing_slashes(dist_dir), staged)) {
    throw EngineError(fmt::format("cannot copy DIST_DIR {} out of the container: {}", dist_dir,
                                  failure->complaint));
  }
  std::vector<std::string> names;
  if (fs::is_directory(staged)) {
    for (const auto& entry : fs::directory_iterator(staged)) {
      names.push_back(entry.path().filename().string());
    }
  }
  auto selection = select_dists(names, version);
  // Folders and links never count as dists, whatever their names say.
  std::erase_if(selection.dists, [&](const std::string& name) {
    const bool regular = fs::is_regular_file(fs::symlink_status(staged / name));
    if (!regular) selection.others.push_back(name);
    return !regular;
  });
  empty_folder(folder);
  for (const auto& name : selection.dists) text::move_into_place(staged / name, folder / name);
  return selection;
}

}  // namespace dp::docker
