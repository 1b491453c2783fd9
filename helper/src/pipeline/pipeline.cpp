#include "pipeline/pipeline.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <utility>

#include "registry/push_repository.hpp"

namespace dp::pipeline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// As add_docker_pipeline() checks them (cmake/DockerPipeline.cmake).
const std::regex& name_pattern() {
  static const std::regex pattern("[A-Za-z0-9][A-Za-z0-9_.-]*");
  return pattern;
}

const std::regex& image_pattern() {
  static const std::regex pattern(
      "[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*"
      "|[A-Za-z0-9.-]+(:[0-9]+)?/[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*");
  return pattern;
}

// An image repository (as above) with a tag: what VERIFY_IMAGES names.
const std::regex& tagged_image_pattern() {
  static const std::regex pattern(
      "([A-Za-z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*"
      ":[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  return pattern;
}

const std::regex& variable_pattern() {
  static const std::regex pattern("[A-Za-z_][A-Za-z0-9_]*");
  return pattern;
}

// Docker's limit on an image name, and a file name's (a pipeline's name names folders).
constexpr std::size_t kNameMax = 255;

bool matches(const std::string& text, const std::regex& pattern) {
  return text.size() <= kNameMax && std::regex_match(text, pattern);
}

// A value as the message quotes it: its JSON text, cut short when long.
std::string shown(const json& value) {
  constexpr std::size_t kLimit = 60;
  auto text = value.dump();
  if (text.size() > kLimit) text = text.substr(0, kLimit - 3) + "...";
  return text;
}

std::string shown(const std::string& value) {
  return shown(json(value));
}

// A relative path that stays inside the folder it is relative to ("a/../b" does, "../b" not).
bool stays_inside(const fs::path& path) {
  if (path.empty() || path.is_absolute()) return false;
  const auto normal = path.lexically_normal();
  return !normal.empty() && *normal.begin() != ".." && normal != ".";
}

// The members of one JSON object, read by name; errors name the file and the member. It records
// what was read, so that unread() lists the members this helper does not know.
class Reader {
 public:
  Reader(const fs::path& file, const json& object, std::string prefix = {})
      : file_(file), object_(object), prefix_(std::move(prefix)) {}

  // True when the member is there and not null.
  bool has(const char* field) const {
    const auto it = object_.find(field);
    return it != object_.end() && !it->is_null();
  }

  // The member, or nullptr when it is absent or null (which the module never writes; both mean
  // "not given").
  const json* find(const char* field) const {
    read_.insert(field);
    const auto it = object_.find(field);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  // A reader of the object `field`, whose errors name it as `field.member`.
  Reader object(const char* field) const {
    const auto* value = find(field);
    if (value == nullptr) fail(field, "missing (required)");
    if (!value->is_object()) expected(field, "an object", *value);
    return Reader(file_, *value, prefix_ + field + ".");
  }

  bool boolean(const char* field, bool fallback = false) const {
    const auto* value = find(field);
    if (value == nullptr) return fallback;
    if (!value->is_boolean()) expected(field, "true or false", *value);
    return value->get<bool>();
  }

  std::string string(const char* field, bool required = true) const {
    const auto* value = find(field);
    if (value == nullptr) {
      if (required) fail(field, "missing (required)");
      return {};
    }
    if (!value->is_string()) expected(field, "a string", *value);
    return value->get<std::string>();
  }

  // An absolute path on the host; empty when absent and not required.
  fs::path absolute_path(const char* field, bool required = true) const {
    const fs::path path = string(field, required);
    if (path.empty() && !required) return path;
    if (!path.is_absolute()) expected(field, "an absolute path", json(path.string()));
    return path;
  }

  double seconds(const char* field) const {
    const auto* value = find(field);
    if (value == nullptr) return 0;
    if (!value->is_number() || value->get<double>() < 0) {
      expected(field, "a number of seconds, 0 or more", *value);
    }
    return value->get<double>();
  }

  std::vector<std::string> strings(const char* field) const {
    const auto* value = find(field);
    if (value == nullptr) return {};
    if (!value->is_array()) expected(field, "an array of strings", *value);
    std::vector<std::string> values;
    for (std::size_t i = 0; i < value->size(); ++i) {
      const auto& item = (*value)[i];
      if (!item.is_string()) expected(item_name(field, i), "a string", item);
      values.push_back(item.get<std::string>());
    }
    return values;
  }

  // Readers of the objects of the array `field`, whose errors name them as `field[i].member`.
  std::vector<Reader> objects(const char* field) const {
    const auto* value = find(field);
    if (value == nullptr) return {};
    if (!value->is_array()) expected(field, "an array of objects", *value);
    std::vector<Reader> readers;
    for (std::size_t i = 0; i < value->size(); ++i) {
      const auto& item = (*value)[i];
      if (!item.is_object()) expected(item_name(field, i), "an object", item);
      readers.emplace_back(file_, item, prefix_ + item_name(field, i) + ".");
    }
    return readers;
  }

  // Members never read (nor marked known): what this helper does not know.
  std::vector<std::string> unread() const {
    std::vector<std::string> names;
    for (const auto& [name, value] : object_.items()) {
      if (!read_.contains(name)) names.push_back(prefix_ + name);
    }
    return names;
  }

  // A member read elsewhere, or known and ignored.
  void known(const char* field) const { read_.insert(field); }

  static std::string item_name(std::string_view field, std::size_t index) {
    return fmt::format("{}[{}]", field, index);
  }

  [[noreturn]] void fail(std::string_view field, std::string_view problem) const {
    throw PipelineError(
        fmt::format("{}: field '{}{}': {}", file_.string(), prefix_, field, problem));
  }

  [[noreturn]] void expected(std::string_view field, std::string_view what, const json& got) const {
    fail(field, fmt::format("expected {}, got {}", what, shown(got)));
  }

 private:
  const fs::path& file_;
  const json& object_;
  std::string prefix_;
  mutable std::set<std::string, std::less<>> read_;
};

// "format": "<major>.<minor>", absent in files of modules older than it (read as 1.0). Throws for
// a newer major or a malformed one; warns about a newer minor. Returns the file's format.
version::FormatVersion read_format(const Reader& reader, const fs::path& file, const Warn& warn) {
  if (!reader.has("format")) {
    reader.known("schema");  // what those modules wrote instead; it was always 1
    reader.known("format");
    return version::FormatVersion{1, 0};
  }
  const auto* value = reader.find("format");
  const auto text = value->is_string() ? value->get<std::string>() : std::string();
  const auto newest = fmt::format("{}.x", kPipelineFormat.major);
  switch (version::format_support(text, kPipelineFormat)) {
    case version::FormatSupport::malformed:
      reader.expected("format", "\"<major>.<minor>\" such as \"1.0\"", *value);
    case version::FormatSupport::newer_major:
      throw PipelineError(fmt::format(
          "{}: field 'format': {} is newer than this docker-pipeline understands ({}): re-run "
          "cmake so the module and the helper match, or upgrade docker-pipeline",
          file.string(), text, newest));
    case version::FormatSupport::newer_minor:
      warn(fmt::format(
          "{}: field 'format': {} is newer than this docker-pipeline understands ({}); what it "
          "does not know is ignored: re-run cmake so the module and the helper match, or upgrade "
          "docker-pipeline",
          file.string(), text, version::to_string(kPipelineFormat)));
      break;
    case version::FormatSupport::known:
      break;
  }
  const auto format = *version::parse_format_version(text);
  if (format.major != kPipelineFormat.major) {
    reader.fail("format", fmt::format("{} is no format of the pipeline file (the first is 1.0)",
                                      version::to_string(format)));
  }
  return format;
}

// "version": "1.0", or "version_from": {"source": "git", "directory": ..., "local": ...,
// "tag_regex": ...} or {"source": "file", "path": ...}.
VersionSource read_version(const Reader& reader, bool ignore_unknown) {
  if (reader.has("version") && reader.has("version_from")) {
    reader.fail("version", "given together with 'version_from'; keep one");
  }
  if (!reader.has("version_from")) {
    reader.known("version_from");
    auto version = reader.string("version");
    if (version.empty()) reader.expected("version", "a version", json(version));
    return VersionSource::fixed(std::move(version));
  }
  reader.known("version");
  const auto from = reader.object("version_from");
  VersionSource source;
  const auto kind = from.string("source");
  if (kind == "git") {
    source.kind = VersionSource::Kind::git;
    source.path = from.absolute_path("directory");
    source.local = from.boolean("local", true);
    source.tag_regex = from.string("tag_regex", false);
  } else if (kind == "file") {
    source.kind = VersionSource::Kind::file;
    source.path = from.absolute_path("path");
  } else {
    from.expected("source", "\"git\" or \"file\"", json(kind));
  }
  if (const auto unknown = from.unread(); !unknown.empty() && !ignore_unknown) {
    reader.fail(unknown.front(), fmt::format("not a member of a {} version source", kind));
  }
  return source;
}

// NAME=VALUE, NAME a shell variable name, as the module checks BUILD_ARGS and TEST_ENV entries.
std::pair<std::string, std::string> split_assignment(const Reader& reader, const std::string& field,
                                                     const std::string& entry) {
  const auto equals = entry.find('=');
  auto name = entry.substr(0, std::min(equals, entry.size()));
  if (equals == std::string::npos || !matches(name, variable_pattern())) {
    // The value is never quoted: TEST_ENV and BUILD_ARGS values may be secrets.
    reader.expected(field, "NAME=VALUE", json(equals == std::string::npos ? entry : name + "=..."));
  }
  return {std::move(name), entry.substr(equals + 1)};
}

std::vector<std::pair<std::string, std::string>> read_build_args(const Reader& reader) {
  std::vector<std::pair<std::string, std::string>> args;
  const auto entries = reader.strings("build_args");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto field = Reader::item_name("build_args", i);
    auto arg = split_assignment(reader, field, entries[i]);
    if (arg.first == "ARG_VERSION") {
      reader.fail(field, "sets ARG_VERSION, which is the pipeline's VERSION; set VERSION instead");
    }
    if (arg.first == "SETUPTOOLS_SCM_PRETEND_VERSION" || arg.first == "PDM_BUILD_SCM_VERSION") {
      reader.fail(field, fmt::format("sets {}, which the pipeline passes with its VERSION when the "
                                     "Dockerfile declares ARG {}; drop it",
                                     arg.first, arg.first));
    }
    args.push_back(std::move(arg));
  }
  return args;
}

// id=NAME,src=FILE or id=NAME,env=VARIABLE (the keys in any order, as docker build takes them).
BuildSecret parse_secret(const Reader& reader, const std::string& field, const std::string& entry) {
  const auto usage =
      fmt::format("expected id=NAME,src=FILE or id=NAME,env=VARIABLE, got {}", shown(entry));
  BuildSecret secret;
  std::size_t start = 0;
  while (start <= entry.size()) {
    const auto comma = std::min(entry.find(',', start), entry.size());
    const auto item = entry.substr(start, comma - start);
    const auto equals = item.find('=');
    const auto key = item.substr(0, equals);
    const auto value = equals == std::string::npos ? std::string() : item.substr(equals + 1);
    if (value.empty()) reader.fail(field, usage);
    if (key == "id") {
      secret.id = value;
    } else if (key == "src" || key == "source") {
      secret.file = value;
    } else if (key == "env") {
      secret.variable = value;
    } else {
      reader.fail(field, fmt::format("{} (unknown key '{}')", usage, key));
    }
    start = comma + 1;
  }
  if (secret.id.empty() || secret.file.empty() == secret.variable.empty()) {
    reader.fail(field, usage);
  }
  if (!secret.file.empty() && !secret.file.is_absolute()) {
    reader.fail(field, fmt::format("{}: src must be an absolute path", shown(entry)));
  }
  return secret;
}

// "push": {"repository": "127.0.0.1:5000/team/app", "latest": false}
void read_push(const Reader& reader, Pipeline& p) {
  if (!reader.has("push")) {
    reader.known("push");
    return;
  }
  const auto push = reader.object("push");
  p.push = push.string("repository");
  try {
    registry::parse_push_repository(p.push);
  } catch (const UserError& e) {
    push.fail("repository", e.what());
  }
  p.push_latest = push.boolean("latest");
  if (const auto unknown = push.unread(); !unknown.empty()) {
    reader.fail(unknown.front(), "not a member of push");
  }
}

// "matrix": {"build_arg": "BASE_IMAGE", "variants": [{"name": "bookworm", "value": "..."}, ...]}
void read_matrix(const Reader& reader, Pipeline& p, bool ignore_unknown) {
  if (!reader.has("matrix")) {
    reader.known("matrix");
    return;
  }
  const auto matrix = reader.object("matrix");
  p.matrix_arg = matrix.string("build_arg");
  if (!matches(p.matrix_arg, variable_pattern())) {
    matrix.expected("build_arg", "a build arg's name", json(p.matrix_arg));
  }
  static const std::set<std::string, std::less<>> reserved = {
      "ARG_VERSION", "ARG_VARIANT", "SETUPTOOLS_SCM_PRETEND_VERSION", "PDM_BUILD_SCM_VERSION"};
  if (reserved.contains(p.matrix_arg)) {
    matrix.fail("build_arg", fmt::format("{} is set by the pipeline itself; vary another build arg",
                                         p.matrix_arg));
  }
  if (std::any_of(p.build_args.begin(), p.build_args.end(),
                  [&](const auto& arg) { return arg.first == p.matrix_arg; })) {
    matrix.fail("build_arg",
                fmt::format("{} is set by BUILD_ARGS too; set it in one of them", p.matrix_arg));
  }
  static const std::regex variant_name("[a-z0-9][a-z0-9_.-]{0,63}");
  std::set<std::string> names;
  const auto variants = matrix.objects("variants");
  if (variants.empty())
    matrix.fail("variants", "missing or empty (a matrix has one value or more)");
  for (const auto& variant : variants) {
    auto& added = p.variants.emplace_back(Variant{variant.string("name"), variant.string("value")});
    if (!matches(added.name, variant_name)) {
      variant.expected("name", "lower-case letters, digits, '_', '.' and '-'", json(added.name));
    }
    if (!names.insert(added.name).second) {
      variant.fail("name", fmt::format("{} names two variants; each needs its own", added.name));
    }
    if (const auto unknown = variant.unread(); !unknown.empty() && !ignore_unknown) {
      reader.fail(unknown.front(), "not a member of a matrix variant");
    }
  }
  if (const auto unknown = matrix.unread(); !unknown.empty() && !ignore_unknown) {
    reader.fail(unknown.front(), "not a member of the matrix");
  }
}

json parse_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw PipelineError(fmt::format("{}: cannot open the pipeline file", file.string()));
  try {
    return json::parse(in);
  } catch (const json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
    std::string_view what = e.what();
    if (const auto at = what.find("parse error at "); at != std::string_view::npos) {
      what.remove_prefix(at + std::string_view("parse error at ").size());
    }
    throw PipelineError(
        fmt::format("{}: not JSON: {}; re-run cmake to write it again", file.string(), what));
  } catch (const json::out_of_range& e) {
    // "[json.exception.out_of_range.406] number overflow parsing '1e400'"
    std::string_view what = e.what();
    if (const auto end = what.find("] "); end != std::string_view::npos) {
      what.remove_prefix(end + 2);
    }
    throw PipelineError(
        fmt::format("{}: cannot be read: {}; re-run cmake to write it again", file.string(), what));
  }
}

Pipeline read(const fs::path& file, const json& root, const Warn& warn) {
  if (!root.is_object()) {
    throw PipelineError(
        fmt::format("{}: expected a JSON object, got {}", file.string(), shown(root)));
  }
  const Reader reader(file, root);
  Pipeline p;
  p.file = file;
  p.format = read_format(reader, file, warn);
  const bool ignore_unknown = p.format > kPipelineFormat;

  p.name = reader.string("name");
  if (!matches(p.name, name_pattern())) {
    reader.expected("name",
                    "a letter or digit, then letters, digits, '_', '.' and '-' (at most 255 characters)",
                    json(p.name));
  }
  p.context = reader.absolute_path("context");
  p.dockerfile = reader.string("dockerfile");
  if (!stays_inside(p.dockerfile)) {
    reader.expected("dockerfile", "a file relative to the context, inside it",
                    json(p.dockerfile.string()));
  }
  p.image = reader.string("image");
  if (!matches(p.image, image_pattern())) {
    reader.expected("image", "an image repository (lower case, no tag, at most 255 characters)",
                    json(p.image));
  }
  p.version = read_version(reader, ignore_unknown);
  p.build_args = read_build_args(reader);
  const auto stamp = reader.strings("stamp");
  for (std::size_t i = 0; i < stamp.size(); ++i) {
    if (!stays_inside(stamp[i])) {
      reader.expected(Reader::item_name("stamp", i), "a file relative to the context, inside it",
                      json(stamp[i]));
    }
    p.stamp.emplace_back(stamp[i]);
  }
  p.test_command = reader.strings("test_command");
  p.dist_dir = reader.string("dist_dir", false);
  if (!p.dist_dir.empty() && p.dist_dir.front() != '/') {
    reader.expected("dist_dir", "an absolute path inside the image", json(p.dist_dir));
  }
  const auto test_env = reader.strings("test_env");
  for (std::size_t i = 0; i < test_env.size(); ++i) {
    p.test_env.push_back(split_assignment(reader, Reader::item_name("test_env", i), test_env[i]));
  }
  p.test_timeout_seconds = reader.seconds("test_timeout");
  p.artifacts = reader.strings("artifacts");
  for (std::size_t i = 0; i < p.artifacts.size(); ++i) {
    if (p.artifacts[i].empty() || p.artifacts[i].front() != '/') {
      reader.expected(Reader::item_name("artifacts", i), "an absolute path inside the image",
                      json(p.artifacts[i]));
    }
  }
  const auto secrets = reader.strings("secrets");
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    p.secrets.push_back(parse_secret(reader, Reader::item_name("secrets", i), secrets[i]));
  }
  p.engine = reader.string("engine", false);
  if (p.engine != "" && p.engine != "docker" && p.engine != "podman") {
    reader.expected("engine", "\"docker\", \"podman\" or \"\" (detect one)", json(p.engine));
  }
  p.pull = reader.boolean("pull");
  p.latest = reader.boolean("latest");
  p.force = reader.boolean("force");
  p.repository = reader.string("repository", false);
  p.skip_existing = reader.boolean("skip_existing");
  p.verify = reader.boolean("verify");
  p.trusted_publishing = reader.string("trusted_publishing", false);
  if (p.trusted_publishing.empty()) p.trusted_publishing = "auto";
  if (p.trusted_publishing != "auto" && p.trusted_publishing != "always" &&
      p.trusted_publishing != "never") {
    reader.expected("trusted_publishing", "\"auto\", \"always\" or \"never\"",
                    json(p.trusted_publishing));
  }
  p.attestations = reader.boolean("attestations");
  p.verify_images = reader.strings("verify_images");
  for (std::size_t i = 0; i < p.verify_images.size(); ++i) {
    if (!matches(p.verify_images[i], tagged_image_pattern())) {
      reader.expected(Reader::item_name("verify_images", i),
                      "an image reference with a tag (repository:tag)", json(p.verify_images[i]));
    }
  }
  p.verify_command = reader.strings("verify_command");
  const auto verify_files = reader.strings("verify_files");
  for (std::size_t i = 0; i < verify_files.size(); ++i) {
    if (!stays_inside(verify_files[i])) {
      reader.expected(Reader::item_name("verify_files", i),
                      "a path relative to the context, inside it", json(verify_files[i]));
    }
    p.verify_files.emplace_back(verify_files[i]);
  }
  p.verify_sdist = reader.boolean("verify_sdist", true);
  p.wheelhouse = reader.absolute_path("wheelhouse", false);
  read_push(reader, p);
  read_matrix(reader, p, ignore_unknown);
  p.work_dir = reader.absolute_path("work_dir");
  p.output_dir = reader.absolute_path("output_dir", false);
  if (p.output_dir.empty()) p.output_dir = p.work_dir;
  p.binary_dir = reader.absolute_path("binary_dir", false);

  if (const auto unknown = reader.unread(); !unknown.empty() && !ignore_unknown) {
    reader.fail(unknown.front(),
                fmt::format("not a member of pipeline format {}; remove it or re-run cmake",
                            version::to_string(p.format)));
  }
  return p;
}

}  // namespace

Pipeline load(const fs::path& file) {
  return load(file, [](std::string_view warning) {
    std::fflush(stdout);
    fmt::print(stderr, "docker-pipeline: warning: {}\n", warning);
  });
}

Pipeline load(const fs::path& file, const Warn& warn) {
  return read(file, parse_file(file), warn);
}

}  // namespace dp::pipeline
