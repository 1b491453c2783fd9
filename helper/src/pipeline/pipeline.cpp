#include "pipeline/pipeline.hpp"

#include <fmt/core.h>

#include <algorithm>
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

  double number(const char* field) const {
    const auto it = root_.find(field);
    if (it == root_.end() || it->is_null()) return 0;
    if (!it->is_number() || it->get<double>() < 0) fail(field, "must be a number, 0 or more");
    return it->get<double>();
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

std::pair<std::string, std::string> split_assignment(const Reader& reader, const char* field,
                                                     const std::string& entry) {
  const auto equals = entry.find('=');
  if (equals == std::string::npos || equals == 0) {
    reader.fail(field, fmt::format("has '{}', expected NAME=VALUE", entry));
  }
  return {entry.substr(0, equals), entry.substr(equals + 1)};
}

// id=NAME,src=FILE or id=NAME,env=VARIABLE (the keys in any order, as docker build takes them).
BuildSecret parse_secret(const Reader& reader, const std::string& entry) {
  BuildSecret secret;
  std::size_t start = 0;
  while (start <= entry.size()) {
    const auto comma = std::min(entry.find(',', start), entry.size());
    const auto item = entry.substr(start, comma - start);
    const auto equals = item.find('=');
    const auto key = item.substr(0, equals);
    const auto value = equals == std::string::npos ? std::string() : item.substr(equals + 1);
    if (value.empty()) {
      reader.fail("secrets",
                  fmt::format("has '{}', expected id=NAME,src=FILE or id=NAME,env=VAR", entry));
    }
    if (key == "id") {
      secret.id = value;
    } else if (key == "src" || key == "source") {
      secret.file = value;
    } else if (key == "env") {
      secret.variable = value;
    } else {
      reader.fail("secrets", fmt::format("has '{}': unknown key '{}' (id, src, env)", entry, key));
    }
    start = comma + 1;
  }
  if (secret.id.empty() || secret.file.empty() == secret.variable.empty()) {
    reader.fail("secrets",
                fmt::format("has '{}', expected id=NAME and one of src=FILE or env=VAR", entry));
  }
  if (!secret.file.empty() && !secret.file.is_absolute()) {
    reader.fail("secrets", fmt::format("has '{}': src must be an absolute path", entry));
  }
  return secret;
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
    auto arg = split_assignment(reader, "build_args", entry);
    if (arg.first == "ARG_VERSION") {
      reader.fail("build_args",
                  "sets ARG_VERSION, which is the pipeline's VERSION; set VERSION instead");
    }
    if (arg.first == "SETUPTOOLS_SCM_PRETEND_VERSION" || arg.first == "PDM_BUILD_SCM_VERSION") {
      reader.fail("build_args", fmt::format("sets {}, which the pipeline passes with its VERSION "
                                            "when the Dockerfile declares ARG {}; drop it",
                                            arg.first, arg.first));
    }
    p.build_args.push_back(std::move(arg));
  }
  for (const auto& path : reader.strings("stamp")) p.stamp.emplace_back(path);
  p.test_command = reader.strings("test_command");
  p.dist_dir = reader.string("dist_dir", false);
  for (const auto& entry : reader.strings("test_env")) {
    p.test_env.push_back(split_assignment(reader, "test_env", entry));
  }
  p.test_timeout_seconds = reader.number("test_timeout");
  p.artifacts = reader.strings("artifacts");
  for (const auto& entry : reader.strings("secrets"))
    p.secrets.push_back(parse_secret(reader, entry));
  p.engine = reader.string("engine", false);
  p.pull = reader.boolean("pull");
  p.latest = reader.boolean("latest");
  p.force = reader.boolean("force");
  p.repository = reader.string("repository", false);
  p.skip_existing = reader.boolean("skip_existing");
  p.verify = reader.boolean("verify");
  p.work_dir = reader.string("work_dir");
  p.output_dir = reader.string("output_dir", false);
  if (p.output_dir.empty()) p.output_dir = p.work_dir;
  p.binary_dir = reader.string("binary_dir", false);

  if (!p.context.is_absolute()) reader.fail("context", "must be an absolute path");
  if (!p.work_dir.is_absolute()) reader.fail("work_dir", "must be an absolute path");
  if (!p.output_dir.is_absolute()) reader.fail("output_dir", "must be an absolute path");
  if (p.engine != "" && p.engine != "docker" && p.engine != "podman") {
    reader.fail("engine", fmt::format("is '{}'; expected docker or podman", p.engine));
  }
  for (const auto& path : p.artifacts) {
    if (path.empty() || path.front() != '/') {
      reader.fail("artifacts", fmt::format("'{}' must be an absolute path inside the image", path));
    }
  }
  if (!p.dist_dir.empty() && p.dist_dir.front() != '/') {
    reader.fail("dist_dir",
                fmt::format("'{}' must be an absolute path inside the image", p.dist_dir));
  }
  return p;
}

}  // namespace dp::pipeline
