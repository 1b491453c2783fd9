#include "docker/image_build.hpp"

#include <fmt/core.h>

#include <fstream>
#include <stdexcept>

#include "process/interrupts.hpp"
#include "process/process.hpp"

namespace dp::docker {

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
  for (const auto& [name, value] : build.labels) {
    args.insert(args.end(), {"--label", name + "=" + value});
  }
  const auto secrets = secret_arguments(build.secrets);
  args.insert(args.end(), secrets.begin(), secrets.end());
  args.push_back("-");
  return args;
}

std::string build_image(const Engine& engine, const ImageBuild& build) {
  require_secret_support(engine, build.secrets);
  check_secret_sources(build.secrets);
  std::filesystem::remove(build.iid_file);
  process::Options options;
  options.environment = engine.build_environment();
  options.feed_stdin = [&](int fd) { write_context_tar(fd, build.context); };
  const auto result = process::run(engine.command(build_arguments(engine, build)), options);
  if (result.interrupted_by != 0) throw process::Interrupted(result.interrupted_by);
  if (!result.ok()) {
    throw std::runtime_error(
        fmt::format("{} build failed with status {}", engine.builder(), result.status()));
  }
  return read_image_id(build.iid_file);
}

std::string read_image_id(const std::filesystem::path& iid_file) {
  std::ifstream in(iid_file);
  std::string id;
  if (!(in >> id) || id.empty()) {
    throw std::runtime_error(
        fmt::format("{}: no image id recorded; build the image first", iid_file.string()));
  }
  return id;
}

}  // namespace dp::docker
