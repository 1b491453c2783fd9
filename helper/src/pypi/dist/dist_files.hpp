#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dp::pypi {

// Command-line arguments to files: each is a path or a glob pattern (dist/*). A pattern's matches
// leave out attestations (*.attestation), which go with their dists. A pattern that matches
// nothing else or a missing path is an error; duplicates are dropped, order kept.
std::vector<std::filesystem::path> expand_dist_arguments(const std::vector<std::string>& arguments);

// The wheels and sdists (.whl, .tar.gz, .zip) directly in a folder, sorted by name.
// Throws DistributionError when the folder is missing or holds none.
std::vector<std::filesystem::path> dists_in_directory(const std::filesystem::path& directory);

// The files a command works on: the arguments when there are any, else the dists in
// `dist_folder` (a pipeline's), else an error saying to give one or the other.
std::vector<std::filesystem::path> select_dist_files(
    const std::vector<std::string>& arguments,
    const std::optional<std::filesystem::path>& dist_folder);

// Wheels first, then sdists, each group in its original order (the order twine recommends, so
// an index that derives metadata from the first file gets the wheel's).
std::vector<std::filesystem::path> wheels_first(std::vector<std::filesystem::path> files);

}  // namespace dp::pypi
