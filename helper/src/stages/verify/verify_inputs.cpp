#include "stages/verify/verify_inputs.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "digest/digest.hpp"
#include "text/file.hpp"

namespace dp::stages {

namespace fs = std::filesystem;
using nlohmann::json;

std::string verify_digest(const VerifyInputs& inputs) {
  // JSON arrays keep every boundary: ["a b"] and ["a", "b"] differ.
  json env = json::array();
  for (const auto& [name, value] : inputs.env) {
    env.push_back({name, digest::hex_of(digest::Algorithm::sha256, value)});
  }
  const json encoded = {
      "docker-pipeline verify 1", inputs.image_id, inputs.dists, inputs.installs, inputs.files,
      inputs.wheelhouse,          inputs.command,  env,          inputs.artifacts};
  return digest::hex_of(digest::Algorithm::sha256, encoded.dump());
}

std::string tree_digest(const fs::path& base, const std::vector<fs::path>& paths) {
  std::vector<std::pair<std::string, std::string>> entries;  // relative path, what it is
  const auto add = [&](const fs::path& path) {
    const auto status = fs::symlink_status(path);
    const auto relative = path.lexically_relative(base).generic_string();
    if (fs::is_symlink(status)) {
      entries.emplace_back(relative, "link " + fs::read_symlink(path).string());
    } else if (fs::is_regular_file(status)) {
      const bool executable = (status.permissions() & fs::perms::owner_exec) != fs::perms::none;
      entries.emplace_back(relative,
                           fmt::format("{} {}", executable ? "x" : "-",
                                       digest::hex_of_file(digest::Algorithm::sha256, path)));
    }
  };
  for (const auto& path : paths) {
    const auto full = base / path;
    std::error_code error;
    if (!fs::exists(fs::symlink_status(full, error))) {
      throw text::FileError(fmt::format("{}: no such file or folder", full.string()));
    }
    if (fs::is_directory(fs::symlink_status(full))) {
      for (const auto& entry : fs::recursive_directory_iterator(full)) add(entry.path());
    } else {
      add(full);
    }
  }
  std::sort(entries.begin(), entries.end());
  return digest::hex_of(digest::Algorithm::sha256, json(entries).dump());
}

}  // namespace dp::stages
