#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stages/reporter.hpp"

// The release record, <output dir>/release.json, which publish writes (README: the release
// record), and `docker-pipeline release`, which shows it.
namespace dp::stages {

// The record's format: a reader refuses a newer major one.
inline constexpr const char* kReleaseRecordFormat = "1.0";

// The record as lines of text: the release, its dists and where the index keeps them, the pushed
// image tags and the verify results. Throws UserError naming the field for a record it cannot
// read (another major format, a member of the wrong type).
std::vector<std::string> release_table(const nlohmann::json& record);

struct ReleaseOptions {
  std::filesystem::path pipeline;
  bool json = false;  // print the record as it is
};

// Prints the pipeline's release record; an error when it has none yet.
int run_release_stage(const ReleaseOptions& options, Reporter& reporter);

}  // namespace dp::stages
