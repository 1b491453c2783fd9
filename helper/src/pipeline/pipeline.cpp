#include "pipeline/pipeline.hpp"

#include <fmt/core.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <utility>

namespace dp::pipeline {
namespace {

using nlohmann::json;

class Reader {
 public:
  Reader(const std::filesystem::path& file, const json& root, std::string prefix = {})
      : file_(file), root_(root), prefix_(std::move(prefix)) {}

  bool has(const char* field) const { return root_.contains(field); }

  // A reader of the object `field`, whose errors name it as `field.member`.
  Reader object(const char* field) const {
    const auto it = root_.find(field);
    if (it == root_.end() || !it->is_object()) fail(field, "must be an object");
    return Reader(file_, *it, prefix_ + field + ".");
  }

  bool boolean(const char* field) const {
    const auto it = root_.find(field);
    if (it == root_.end() || it->is_null()) return false;
    if (!it->is_boolean()) fail(field, "must be true or false");
    return it->get<bool>();
  }

  std::string string(const char* field, bool required = true) const {
    const auto it = root_.find(field);
    if (it == root_.end() || it->is_null()) {
      if (required) fail(field, "is missing");
      return {};
    }
    if (!it->is_string()) fail(field, "must be a string");
    return it->get<std::string>();
  }

  std::vector<std::string> strings(const char* field) const {
    const auto it = root_.find(field);
    if (it == root_.end() || it->is_null()) return {};
    if (!it->is_array()) fail(field, "must be an array of strings");
    std::vector<std::string> values;
    for (const auto& item : *it) {
      if (!item.is_string()) fail(field, "must be an array of strings");
      values.push_back(item.get<std::string>());
    }
    return values;
  }

  [[noreturn]] void fail(std::string_view field, std::string_view problem) const {
    throw PipelineError(
        fmt::format("{}: field '{}{}' {}", file_.string(), prefix_, field, problem));
  }

 private:
  const std::filesystem::path& file_;
  const json& root_;
  std::string prefix_;
};

// "version": "1.0", or "version_from": {"source": "git", "directory": ..., "local": ...,
// "tag_regex": ...} or {"source": "file", "path": ...}.
VersionSource read_version(const Reader& reader) {
  if (reader.has("version") && reader.has("version_from")) {
    reader.fail("version", "and 'version_from' are both given; keep one");
  }
  if (!reader.has("version_from")) {
    auto version = reader.string("version");
    if (version.empty()) reader.fail("version", "is empty");
    return VersionSource::fixed(std::move(version));
  }
  const auto from = reader.object("version_from");
  VersionSource source;
  const auto kind = from.string("source");
  if (kind == "git") {
    source.kind = VersionSource::Kind::git;
    source.path = from.string("directory");
    source.local = !from.has("local") || from.boolean("local");
    source.tag_regex = from.string("tag_regex", false);
  } else if (kind == "file") {
    source.kind = VersionSource::Kind::file;
    source.path = from.string("path");
  } else {
    from.fail("source", fmt::format("is '{}'; expected git or file", kind));
  }
  if (!source.path.is_absolute()) {
    from.fail(kind == "git" ? "directory" : "path", "must be an absolute path");
  }
  return source;
}

std::pair<std::string, std::string> split_build_arg(const Reader& reader,
                                                    const std::string& entry) {
  const auto equals = entry.find('=');
  if (equals == std::string::npos || equals == 0) {
    reader.fail("build_args", fmt::format("has '{}', expected NAME=VALUE", entry));
  }
  return {entry.substr(0, equals), entry.substr(equals + 1)};
}

}  // namespace

Pipeline load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw PipelineError(fmt::format("{}: cannot open pipeline file", file.string()));
  json root;
  try {
    root = json::parse(in);
  } catch (const json::parse_error& e) {
    throw PipelineError(fmt::format("{}: not valid JSON: {}", file.string(), e.what()));
  }
  if (!root.is_object())
    throw PipelineError(fmt::format("{}: expected a JSON object", file.string()));

  const Reader reader(file, root);
  Pipeline p;
  p.file = file;
  p.name = reader.string("name");
  p.context = reader.string("context");
  p.dockerfile = reader.string("dockerfile");
  p.image = reader.string("image");
  p.version = read_version(reader);
  for (const auto& entry : reader.strings("build_args")) {
    auto arg = split_build_arg(reader, entry);
    if (arg.first == "ARG_VERSION") {
      reader.fail("build_args",
                  "sets ARG_VERSION, which is the pipeline's VERSION; set VERSION instead");
    }
    p.build_args.push_back(std::move(arg));
  }
  for (const auto& path : reader.strings("stamp")) p.stamp.emplace_back(path);
  p.test_command = reader.strings("test_command");
  p.dist_dir = reader.string("dist_dir", false);
  p.repository = reader.string("repository", false);
  p.skip_existing = reader.boolean("skip_existing");
  p.verify = reader.boolean("verify");
  p.work_dir = reader.string("work_dir");
  p.binary_dir = reader.string("binary_dir", false);

  if (!p.context.is_absolute()) reader.fail("context", "must be an absolute path");
  if (!p.work_dir.is_absolute()) reader.fail("work_dir", "must be an absolute path");
  if (!p.dist_dir.empty() && p.dist_dir.front() != '/') {
    reader.fail("dist_dir",
                fmt::format("'{}' must be an absolute path inside the image", p.dist_dir));
  }
  return p;
}

}  // namespace dp::pipeline
