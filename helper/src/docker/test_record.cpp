#include "docker/test_record.hpp"

#include <fmt/core.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace dp::docker {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string sha256_hex(const std::string& data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL cannot compute a SHA-256 digest");
  }
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace

std::string test_digest(const TestInputs& inputs) {
  // JSON arrays keep every boundary: ["a b"] and ["a", "b"] differ.
  json env = json::array();
  for (const auto& [name, value] : inputs.test_env) env.push_back({name, sha256_hex(value)});
  const json encoded = {
      "docker-pipeline test 1", inputs.image_id, inputs.version, inputs.test_command, env,
      inputs.artifacts,         inputs.dist_dir};
  return sha256_hex(encoded.dump());
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
  fs::create_directories(file.parent_path());
  auto temp = file;
  temp += fmt::format(".tmp-{}", ::getpid());
  {
    std::ofstream out(temp, std::ios::trunc);
    out << root.dump(2) << '\n';
    if (!out.flush()) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      throw std::runtime_error(fmt::format("cannot write {}", temp.string()));
    }
  }
  fs::rename(temp, file);
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
