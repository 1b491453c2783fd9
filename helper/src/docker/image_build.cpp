#include "docker/image_build.hpp"

#include <fmt/core.h>

#include <fstream>
#include <stdexcept>

#include "process/interrupts.hpp"
#include "process/process.hpp"
#include "text/file.hpp"

namespace dp::docker {

namespace {

// The classic builder commits one image layer per --label, about two seconds each here; one
// LABEL instruction appended to the Dockerfile it receives is one layer.
bool labels_in_dockerfile(const Engine& engine) {
  return engine.kind == EngineKind::docker && !engine.buildkit;
}

std::string quoted_label_part(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    quoted += c;
  }
  return quoted + "\"";
}

// The context with the labels appended to the Dockerfile it sends.
BuildContext with_label_instruction(const ImageBuild& build) {
  auto context = build.context;
  const auto found = context.replacements.find(build.dockerfile);
  auto dockerfile = found != context.replacements.end()
                        ? std::optional<std::string>(found->second)
                        : text::read_file(context.root / build.dockerfile);
  if (!dockerfile) {
    throw text::FileError(
        fmt::format("cannot read {}", (context.root / build.dockerfile).string()));
  }
  if (!dockerfile->empty() && dockerfile->back() != '\n') *dockerfile += '\n';
  *dockerfile += "LABEL";
  for (const auto& [name, value] : build.labels) {
    *dockerfile += " " + quoted_label_part(name) + "=" + quoted_label_part(value);
  }
  *dockerfile += '\n';
  context.replacements[build.dockerfile] = std::move(*dockerfile);
  return context;
}

}  // namespace

std::vector<std::string> build_arguments(const Engine& engine, const ImageBuild& build) {
  std::vector<std::string> args = {"build", "--file", build.dockerfile, "--iidfile",
                                   build.iid_file.string()};
  if (engine.kind == EngineKind::podman) {
    args.push_back(build.pull ? "--pull=always" : "--pull=never");
  } else if (build.pull) {
    args.push_back("--pull");
  }
  for (const auto& tag : build.tags) args.insert(args.end(), {"--tag", tag});
  for (const auto& [name, value] : build.build_args) {
    args.insert(args.end(), {"--build-arg", name + "=" + value});
  }
  if (!labels_in_dockerfile(engine)) {
    for (const auto& [name, value] : build.labels) {
      args.insert(args.end(), {"--label", name + "=" + value});
    }
  }
  const auto secrets = secret_arguments(build.secrets);
  args.insert(args.end(), secrets.begin(), secrets.end());
  args.push_back("-");
  return args;
}

std::string build_image(const Engine& engine, const ImageBuild& build,
                        std::function<void(std::string_view)> on_line) {
  require_secret_support(engine, build.secrets);
  check_secret_sources(build.secrets);
  std::filesystem::remove(build.iid_file);
  process::Options options;
  options.environment = engine.build_environment();
  const auto context = labels_in_dockerfile(engine) && !build.labels.empty()
                           ? with_label_instruction(build)
                           : build.context;
  options.feed_stdin = [&](int fd) { write_context_tar(fd, context); };
  options.on_line = std::move(on_line);
  const auto result = process::run(engine.command(build_arguments(engine, build)), options);
  if (result.interrupted_by != 0) throw process::Interrupted(result.interrupted_by);
  if (!result.ok()) {
    throw_engine_failure(
        engine, fmt::format("{} build failed with status {}", engine.builder(), result.status()));
  }
  return read_image_id(build.iid_file);
}

std::string read_image_id(const std::filesystem::path& iid_file) {
  std::ifstream in(iid_file);
  std::string id;
  if (!(in >> id) || id.empty()) {
    throw EngineError(
        fmt::format("{}: no image id recorded; build the image first", iid_file.string()));
  }
  return id;
}

}  // namespace dp::docker
