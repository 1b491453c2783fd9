#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/command.hpp"
#include "cli/pipeline_option.hpp"
#include "docker/engine.hpp"
#include "docker/image_build.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/resolved_version.hpp"
#include "stamp/plan.hpp"

namespace dp::cli {
namespace {

namespace fs = std::filesystem;

struct BuildOptions {
  fs::path pipeline;
  bool verbose = false;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path.string()));
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The stamped content of every file stamping changes (STAMP files, and the version files of a
// dynamic pyproject.toml), to be sent in place of the file.
std::map<std::string, std::string> stamped_files(const pipeline::Pipeline& p,
                                                 const std::string& version) {
  std::vector<fs::path> files;
  for (const auto& relative : p.stamp) {
    const auto path = p.context / relative;
    if (fs::is_symlink(path)) {
      throw std::runtime_error(
          fmt::format("{}: STAMP file '{}' is a symbolic link; stamp the file it points to",
                      p.file.string(), relative.string()));
    }
    if (!fs::is_regular_file(path)) {
      throw std::runtime_error(fmt::format("{}: STAMP file '{}' not found in the context {}",
                                           p.file.string(), relative.string(), p.context.string()));
    }
    files.push_back(path);
  }
  auto context = p.context.lexically_normal();
  if (!context.has_filename()) context = context.parent_path();  // "ctx/" is "ctx"
  const auto in_context = [&](const fs::path& path) {
    const auto relative = path.lexically_normal().lexically_relative(context);
    return relative.empty() || *relative.begin() == ".." ? fs::path{} : relative;
  };
  // Only what the build sees can be stamped: a pyproject.toml may name a file outside it.
  const auto read = [&](const fs::path& path) -> std::optional<std::string> {
    const auto relative = in_context(path);
    if (relative.empty()) {
      throw std::runtime_error(fmt::format("{}: cannot stamp {}: outside the context {}",
                                           p.file.string(), path.string(), context.string()));
    }
    if (fs::is_symlink(path)) {
      throw std::runtime_error(
          fmt::format("{}: '{}' is a symbolic link; stamp the file it points to", p.file.string(),
                      relative.string()));
    }
    if (!fs::is_regular_file(path)) return std::nullopt;
    return read_file(path);
  };

  std::map<std::string, std::string> replacements;
  for (auto& edit : stamp::plan_stamp(files, {version, std::nullopt}, read)) {
    replacements[in_context(edit.path).generic_string()] = std::move(edit.after);
  }
  return replacements;
}

int run_build(const BuildOptions& options) {
  const auto p = pipeline::load(options.pipeline);
  const auto version = pipeline::resolve_version(p);
  const auto engine = docker::detect_engine();
  if (options.verbose)
    fmt::print("docker-pipeline: engine: {} ({})\n", engine.client, engine.reason);

  if (!fs::is_regular_file(p.context / p.dockerfile)) {
    throw std::runtime_error(fmt::format("{}: DOCKERFILE {} does not exist", p.file.string(),
                                         (p.context / p.dockerfile).string()));
  }
  docker::ImageBuild build;
  build.context.root = p.context;
  build.context.excluded_dirs = {p.work_dir};
  if (!p.binary_dir.empty()) build.context.excluded_dirs.push_back(p.binary_dir);
  build.context.replacements = stamped_files(p, version.canonical);
  build.context.always_sent = {p.dockerfile.lexically_normal().generic_string(), ".dockerignore"};
  build.dockerfile = p.dockerfile.generic_string();
  build.tags = {p.image + ":" + version.docker_tag};
  build.build_args.emplace_back("ARG_VERSION", version.canonical);
  build.build_args.insert(build.build_args.end(), p.build_args.begin(), p.build_args.end());
  build.labels = {{"org.opencontainers.image.version", version.canonical},
                  {"org.opencontainers.image.title", p.name}};
  fs::create_directories(p.work_dir);
  build.iid_file = p.iid_file();

  fmt::print("docker-pipeline: building {} (version {}, {} stamped file{})\n", build.tags.front(),
             version.canonical, p.stamp.size(), p.stamp.size() == 1 ? "" : "s");
  std::fflush(stdout);
  const auto image_id = docker::build_image(engine, build);
  pipeline::write_version_if_changed(p.built_version_file(), version.canonical);
  fmt::print("docker-pipeline: built {} ({})\n", build.tags.front(), image_id);
  return 0;
}

}  // namespace

Command add_build_command(CLI::App& parent) {
  auto options = std::make_shared<BuildOptions>();
  auto* app =
      parent.add_subcommand("build", "Build the pipeline's image, tagged <image>:<version>");
  app->footer(
      "The version is stamped into what the build context sends (the source tree is never "
      "modified) and passed as ARG_VERSION with the pipeline's other build args.\n"
      "Engine: DOCKER_PIPELINE_ENGINE (docker, podman or a path) if set, else docker, else podman "
      "from PATH; docker builds with BuildKit when DOCKER_BUILDKIT=1 or the client has buildx, "
      "else with the classic builder.");
  add_pipeline_option(*app, options->pipeline, true);
  app->add_flag("-v,--verbose", options->verbose,
                "Say which engine and builder were chosen and why");
  return {app, [options] { return run_build(*options); }};
}

}  // namespace dp::cli
