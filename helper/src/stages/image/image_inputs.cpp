#include "stages/image/image_inputs.hpp"

#include <fmt/core.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "digest/digest.hpp"
#include "docker/image_labels.hpp"
#include "text/file.hpp"

namespace dp::docker {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kFormat = 1;

// "<octal st_mode> <sha256>" of what the tar stream carries for the entry.
std::string entry_fingerprint(const ContextEntry& entry, const std::string* replacement) {
  struct stat info {};
  if (::lstat(entry.absolute.c_str(), &info) != 0) {
    throw text::FileError(
        fmt::format("cannot read {}: {}", entry.absolute.string(), std::strerror(errno)));
  }
  std::string hash;
  if (S_ISLNK(info.st_mode)) {
    hash = digest::hex_of(digest::Algorithm::sha256, fs::read_symlink(entry.absolute).string());
  } else if (S_ISREG(info.st_mode)) {
    hash = replacement ? digest::hex_of(digest::Algorithm::sha256, *replacement)
                       : digest::hex_of_file(digest::Algorithm::sha256, entry.absolute);
  }
  return fmt::format("{:o} {}", static_cast<unsigned>(info.st_mode), hash);
}

std::string short_id(const std::string& id) {
  return std::string(id.substr(0, 12));
}

void describe_map(const json& before, const json& now, const std::string& what,
                  std::vector<std::string>& changes) {
  std::set<std::string> keys;
  for (const auto& [key, value] : before.items()) keys.insert(key);
  for (const auto& [key, value] : now.items()) keys.insert(key);
  for (const auto& key : keys) {
    const auto old_value = before.contains(key) ? before[key].get<std::string>() : "(none)";
    const auto new_value = now.contains(key) ? now[key].get<std::string>() : "(none)";
    if (old_value == new_value) continue;
    if (what == "base image") {
      changes.push_back(fmt::format("base image {} is another image ({} -> {})", key,
                                    short_id(old_value), short_id(new_value)));
    } else if (key == "org.opencontainers.image.version") {
      changes.push_back(fmt::format("version {} -> {}", old_value, new_value));
    } else {
      changes.push_back(fmt::format("{} {}: {} -> {}", what, key, old_value, new_value));
    }
  }
}

}  // namespace

std::string ImageInputs::digest() const {
  digest::Hasher hash{digest::Algorithm::sha256};
  hash.update(summary.dump());
  for (const auto& [path, fingerprint] : files) {
    hash.update(path).update(std::string_view("\0", 1)).update(fingerprint).update("\n");
  }
  return hash.hex();
}

ImageInputs collect_image_inputs(const ImageBuild& build, const Engine& engine,
                                 const std::map<std::string, std::string>& base_image_ids) {
  ImageInputs inputs;
  auto& summary = inputs.summary;
  summary["format"] = kFormat;
  summary["builder"] = engine.builder();
  summary["dockerfile"] = build.dockerfile;
  json build_args = json::object();
  for (const auto& [name, value] : build.build_args) build_args[name] = value;
  summary["build_args"] = build_args;
  json labels = json::object();
  for (const auto& [name, value] : build.labels) {
    if (name != kCreatedLabel && name != kRevisionLabel) labels[name] = value;
  }
  summary["labels"] = labels;
  json secrets = json::array();
  for (const auto& secret : build.secrets) secrets.push_back(secret.id);
  summary["secrets"] = secrets;
  summary["pull"] = build.pull;
  summary["base_images"] = base_image_ids;

  for (const auto& entry : list_context_entries(build.context)) {
    const auto replaced = build.context.replacements.find(entry.relative);
    inputs.files[entry.relative] = entry_fingerprint(
        entry, replaced == build.context.replacements.end() ? nullptr : &replaced->second);
  }
  return inputs;
}

std::optional<InputsRecord> read_inputs_record(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  try {
    const auto root = json::parse(in);
    InputsRecord record;
    record.digest = root.at("digest").get<std::string>();
    record.image_id = root.at("image_id").get<std::string>();
    record.inputs.summary = root.at("inputs");
    record.inputs.files = root.at("files").get<std::map<std::string, std::string>>();
    if (record.inputs.summary.value("format", 0) != kFormat) return std::nullopt;
    return record;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

void write_inputs_record(const fs::path& file, const InputsRecord& record) {
  const json root = {{"digest", record.digest},
                     {"image_id", record.image_id},
                     {"inputs", record.inputs.summary},
                     {"files", record.inputs.files}};
  text::write_file_atomically(file, root.dump(1) + '\n');
}

std::string describe_changes(const ImageInputs& before, const ImageInputs& now) {
  std::vector<std::string> changes;
  const auto& old_summary = before.summary;
  const auto& new_summary = now.summary;
  for (const auto& key : {"builder", "dockerfile", "pull"}) {
    if (old_summary.value(key, json()) != new_summary.value(key, json())) {
      changes.push_back(fmt::format("{} {} -> {}", key, old_summary.value(key, json()).dump(),
                                    new_summary.value(key, json()).dump()));
    }
  }
  describe_map(old_summary.value("base_images", json::object()),
               new_summary.value("base_images", json::object()), "base image", changes);
  describe_map(old_summary.value("labels", json::object()),
               new_summary.value("labels", json::object()), "label", changes);
  describe_map(old_summary.value("build_args", json::object()),
               new_summary.value("build_args", json::object()), "build arg", changes);
  if (old_summary.value("secrets", json()) != new_summary.value("secrets", json())) {
    changes.push_back(fmt::format("secrets {} -> {}", old_summary.value("secrets", json()).dump(),
                                  new_summary.value("secrets", json()).dump()));
  }
  for (const auto& [path, fingerprint] : now.files) {
    const auto old = before.files.find(path);
    if (old == before.files.end()) {
      changes.push_back(path + " added");
    } else if (old->second != fingerprint) {
      changes.push_back(path + " changed");
    }
  }
  for (const auto& [path, fingerprint] : before.files) {
    if (!now.files.count(path)) changes.push_back(path + " removed");
  }
  if (changes.empty()) return "nothing";
  constexpr std::size_t kShown = 4;
  std::string text;
  for (std::size_t i = 0; i < changes.size() && i < kShown; ++i) {
    text += (i ? ", " : "") + changes[i];
  }
  if (changes.size() > kShown) text += fmt::format(" and {} more", changes.size() - kShown);
  return text;
}

}  // namespace dp::docker
