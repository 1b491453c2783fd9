#include "stages/test/test_record.hpp"

#include <fmt/core.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "digest/digest.hpp"
#include "text/file.hpp"

namespace dp::docker {

namespace fs = std::filesystem;
using nlohmann::json;

std::string test_digest(const TestInputs& inputs) {
  // JSON arrays keep every boundary: ["a b"] and ["a", "b"] differ.
  json env = json::array();
  for (const auto& [name, value] : inputs.test_env)
    env.push_back({name, digest::hex_of(digest::Algorithm::sha256, value)});
  const json encoded = {
      "docker-pipeline test 1", inputs.image_id, inputs.version, inputs.test_command, env,
      inputs.artifacts,         inputs.dist_dir};
  return digest::hex_of(digest::Algorithm::sha256, encoded.dump());
}

std::optional<TestRecord> read_test_record(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  try {
    const auto root = json::parse(in);
    TestRecord record;
    record.digest = root.at("digest").get<std::string>();
    record.dists = root.at("dists").get<std::vector<std::string>>();
    record.artifacts = root.at("artifacts").get<std::vector<std::string>>();
    return record;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

void write_test_record(const fs::path& file, const TestRecord& record) {
  const json root = {
      {"digest", record.digest}, {"dists", record.dists}, {"artifacts", record.artifacts}};
  text::write_file_atomically(file, root.dump(2) + '\n');
}

void remove_test_record(const fs::path& file) {
  fs::remove(file);
}

std::optional<std::string> missing_output(const TestRecord& record, const fs::path& dist_dir,
                                          const fs::path& artifacts_dir) {
  std::error_code error;
  for (const auto& name : record.dists) {
    if (!fs::exists(dist_dir / name, error)) return (dist_dir / name).string();
  }
  for (const auto& name : record.artifacts) {
    if (!fs::exists(artifacts_dir / name, error)) return (artifacts_dir / name).string();
  }
  return std::nullopt;
}

}  // namespace dp::docker
