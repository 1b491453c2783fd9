#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// The test step's record of its last passed run, so that an unchanged test is not run again.
namespace dp::docker {

// What decides a test run's outcome and outputs.
struct TestInputs {
  std::string image_id;
  std::string version;
  std::vector<std::string> test_command;
  std::vector<std::pair<std::string, std::string>> test_env;
  std::vector<std::string> artifacts;
  std::string dist_dir;
};

// SHA-256 (hex) of an unambiguous encoding of the inputs; TEST_ENV values enter only hashed.
std::string test_digest(const TestInputs& inputs);

// A passed run: its inputs' digest and what it left in the output folders.
struct TestRecord {
  std::string digest;
  std::vector<std::string> dists;      // file names in the dist folder
  std::vector<std::string> artifacts;  // top-level names in the artifacts folder
};

// Nothing when the file is missing or unreadable (then the tests run again).
std::optional<TestRecord> read_test_record(const std::filesystem::path& file);
// Written atomically (temp file, rename), so a crash never leaves half a record.
void write_test_record(const std::filesystem::path& file, const TestRecord& record);
// Before a run: a run that fails or is interrupted must not leave the earlier pass standing.
void remove_test_record(const std::filesystem::path& file);

// What is missing of the record's outputs, or nothing when all are still there (the user may
// have deleted the dist or artifacts folder, which makes the tests run again).
std::optional<std::string> missing_output(const TestRecord& record,
                                          const std::filesystem::path& dist_dir,
                                          const std::filesystem::path& artifacts_dir);

}  // namespace dp::docker
