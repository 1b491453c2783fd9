#include "pypi/dist/dist_files.hpp"

#include <fmt/core.h>
#include <glob.h>

#include <algorithm>
#include <memory>

#include "pypi/dist/dist_names.hpp"
#include "pypi/errors.hpp"

namespace dp::pypi {
namespace {

struct GlobFree {
  void operator()(glob_t* matches) const {
    globfree(matches);
    delete matches;
  }
};

bool is_pattern(const std::string& argument) {
  return argument.find_first_of("*?[") != std::string::npos;
}

// An attestation beside the dists (PEP 740: <dist>.publish.attestation): a pattern such as dist/*
// matches it, but it goes with its dist, never as one.
bool is_attestation(const std::filesystem::path& file) {
  return file.filename().string().ends_with(".attestation");
}

std::vector<std::filesystem::path> glob_matches(const std::string& pattern) {
  std::unique_ptr<glob_t, GlobFree> matches{new glob_t{}};
  const int status = glob(pattern.c_str(), 0, nullptr, matches.get());
  if (status == GLOB_NOMATCH) throw DistributionError(fmt::format("no file matches {}", pattern));
  if (status != 0) throw DistributionError(fmt::format("cannot expand {}", pattern));
  std::vector<std::filesystem::path> files;
  for (std::size_t i = 0; i < matches->gl_pathc; ++i) {
    std::filesystem::path file{matches->gl_pathv[i]};
    std::error_code error;
    if (std::filesystem::is_regular_file(file, error) && !is_attestation(file)) {
      files.push_back(std::move(file));
    }
  }
  if (files.empty()) throw DistributionError(fmt::format("no file matches {}", pattern));
  return files;
}

}  // namespace

std::vector<std::filesystem::path> expand_dist_arguments(
    const std::vector<std::string>& arguments) {
  std::vector<std::filesystem::path> files;
  const auto add = [&files](std::filesystem::path file) {
    if (std::find(files.begin(), files.end(), file) == files.end())
      files.push_back(std::move(file));
  };
  for (const auto& argument : arguments) {
    std::error_code error;
    if (std::filesystem::is_regular_file(argument, error)) {
      add(argument);
    } else if (is_pattern(argument)) {
      for (auto& file : glob_matches(argument)) add(std::move(file));
    } else {
      throw DistributionError(fmt::format("{}: no such file", argument));
    }
  }
  return files;
}

std::vector<std::filesystem::path> dists_in_directory(const std::filesystem::path& directory) {
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    throw DistributionError(fmt::format("{}: no such folder", directory.string()));
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator{directory}) {
    if (entry.is_regular_file() && dist_kind_of(entry.path())) files.push_back(entry.path());
  }
  if (files.empty()) {
    throw DistributionError(
        fmt::format("{}: no wheel or sdist (.whl, .tar.gz, .zip) in it", directory.string()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::filesystem::path> select_dist_files(
    const std::vector<std::string>& arguments,
    const std::optional<std::filesystem::path>& dist_folder) {
  if (!arguments.empty()) return expand_dist_arguments(arguments);
  if (dist_folder) return dists_in_directory(*dist_folder);
  throw DistributionError(
      "no distribution files: give them as arguments (dist/*) or use --pipeline");
}

std::vector<std::filesystem::path> wheels_first(std::vector<std::filesystem::path> files) {
  std::stable_partition(files.begin(), files.end(), [](const std::filesystem::path& file) {
    return dist_kind_of(file) == DistKind::wheel;
  });
  return files;
}

}  // namespace dp::pypi
