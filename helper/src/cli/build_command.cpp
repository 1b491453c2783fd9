#include <fmt/core.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string_view>

#include "cli/command.hpp"
#include "cli/pipeline_option.hpp"
#include "docker/base_images.hpp"
#include "docker/build_secrets.hpp"
#include "docker/dockerfile.hpp"
#include "docker/dockerfile_lint.hpp"
#include "docker/engine.hpp"
#include "docker/image_build.hpp"
#include "docker/image_labels.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/resolved_version.hpp"
#include "stages/image/image_step.hpp"
#include "stamp/plan.hpp"

namespace dp::cli {
namespace {

namespace fs = std::filesystem;

struct BuildOptions {
  fs::path pipeline;
  bool verbose = false;
  bool force = false;
  bool allow_insecure_dockerfile = false;
};

// The build args that carry the version besides ARG_VERSION: the variables above (and
// SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<NAME>) that the Dockerfile declares with ARG and BUILD_ARGS
// does not set. Only declared ones are passed: the classic builder warns about the others.
std::vector<std::pair<std::string, std::string>> version_build_args(
    const std::set<std::string>& declared, const pipeline::Pipeline& p,
    const std::string& version) {
  std::vector<std::pair<std::string, std::string>> args;
  for (const auto& name : declared) {
    const bool carries_version =
        name == stamp::kPretendVersionVariable || name == stamp::kPdmVersionVariable ||
        name.starts_with(fmt::format("{}_FOR_", stamp::kPretendVersionVariable));
    const bool given = std::any_of(p.build_args.begin(), p.build_args.end(),
                                   [&](const auto& arg) { return arg.first == name; });
    if (carries_version && !given) args.emplace_back(name, version);
  }
  return args;
}

// What the build sends in place of the files stamping changes (STAMP files, the version files of
// a dynamic pyproject.toml, the PKG-INFO of an unpacked sdist), and what it says about them.
struct ContextStamp {
  std::map<std::string, std::string> replacements;
  std::vector<std::string> report;  // one line per file
};

ContextStamp stamp_context(const pipeline::Pipeline& p, const std::string& version,
                           const std::set<std::string>& build_variables) {
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
  const auto read = [&, disk = stamp::disk_reader()](const fs::path& path) {
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
    return disk(path);
  };

  ContextStamp stamped;
  auto plan = stamp::plan_stamp(files, {version, std::nullopt, context, build_variables}, read);
  for (auto& edit : plan.edits) {
    // Paths as the context has them, in the report too.
    edit.path = in_context(edit.path);
    edit.requested = in_context(edit.requested);
    const auto name = edit.path.generic_string();
    stamped.report.push_back(
        edit.changes()
            ? fmt::format("{}: stamped {} -> {} {}", name, edit.old_version, edit.new_version,
                          stamp::reader_note(edit))
            : fmt::format("{}: already {} {}", name, edit.new_version, stamp::reader_note(edit)));
    stamped.replacements[name] = std::move(edit.after);
  }
  for (const auto& passed : plan.passed) {
    stamped.report.push_back(fmt::format("{}: {} gets version {} from the build arg {}",
                                         in_context(passed.pyproject).generic_string(),
                                         passed.backend, version, passed.variable));
  }
  return stamped;
}

void lint(const fs::path& dockerfile, const std::vector<docker::Instruction>& instructions,
          const docker::BuildContext& context, bool allowed) {
  const auto findings = docker::lint_dockerfile(instructions, docker::list_context_files(context));
  if (findings.empty()) return;
  const auto where = [&](const docker::LintFinding& finding) {
    return fmt::format("{}:{}", dockerfile.string(), finding.line);
  };
  if (allowed) {
    for (const auto& finding : findings) {
      fmt::print(
          stderr,
          "docker-pipeline build: warning: {}: {} (allowed by --allow-insecure-dockerfile)\n",
          where(finding), finding.message);
    }
    return;
  }
  auto message = fmt::format("{}: {}", where(findings.front()), findings.front().message);
  if (findings.size() > 1) {
    std::vector<std::string> others;
    for (std::size_t i = 1; i < findings.size(); ++i) others.push_back(where(findings[i]));
    message += fmt::format("; and {} more: {}", others.size(), fmt::join(others, ", "));
  }
  message += " (--allow-insecure-dockerfile builds it anyway)";
  throw std::runtime_error(message);
}

std::vector<docker::Instruction> parse(const fs::path& dockerfile) {
  try {
    return docker::parse_dockerfile(docker::read_dockerfile(dockerfile));
  } catch (const docker::DockerfileError& e) {
    throw std::runtime_error(fmt::format("{}: {}", dockerfile.string(), e.what()));
  }
}

int run_build(const BuildOptions& options) {
  const auto p = pipeline::load(options.pipeline);
  const auto version = pipeline::resolve_version(p);
  const auto dockerfile = p.context / p.dockerfile;
  if (!fs::is_regular_file(dockerfile)) {
    throw std::runtime_error(
        fmt::format("{}: DOCKERFILE {} does not exist", p.file.string(), dockerfile.string()));
  }
  const auto instructions = parse(dockerfile);
  const auto version_args =
      version_build_args(docker::declared_args(instructions), p, version.canonical);
  std::set<std::string> build_variables;
  for (const auto& arg : version_args) build_variables.insert(arg.first);

  docker::ImageBuild build;
  build.context.root = p.context;
  build.context.excluded_dirs = {p.work_dir};
  if (!p.binary_dir.empty()) build.context.excluded_dirs.push_back(p.binary_dir);
  auto stamped = stamp_context(p, version.canonical, build_variables);
  build.context.replacements = std::move(stamped.replacements);
  build.context.always_sent = {p.dockerfile.lexically_normal().generic_string(), ".dockerignore"};
  lint(dockerfile, instructions, build.context, options.allow_insecure_dockerfile);

  const auto engine = docker::detect_engine(p.engine);
  if (options.verbose) {
    fmt::print("docker-pipeline: engine: {}, builder: {} ({})\n", engine.client, engine.builder(),
               engine.reason);
  }
  for (const auto& secret : p.secrets)
    build.secrets.push_back({secret.id, secret.file, secret.variable});
  docker::require_secret_support(engine, build.secrets);

  build.dockerfile = p.dockerfile.generic_string();
  build.tags = {p.image + ":" + version.docker_tag};
  if (p.latest) build.tags.push_back(p.image + ":latest");
  build.build_args.emplace_back("ARG_VERSION", version.canonical);
  build.build_args.insert(build.build_args.end(), version_args.begin(), version_args.end());
  build.build_args.insert(build.build_args.end(), p.build_args.begin(), p.build_args.end());
  build.labels =
      docker::OciLabels{version.canonical, p.name, docker::git_source_revision(p.context),
                        docker::created_timestamp()}
          .labels();
  build.pull = p.pull;
  fs::create_directories(p.work_dir);
  build.iid_file = p.iid_file();

  const auto base_images = docker::base_images(instructions, build.build_args);
  docker::ImageStep step(engine, std::move(build), dockerfile, base_images,
                         p.work_dir / "image.inputs");
  step.check_base_images();
  if (options.verbose) {
    for (const auto& image : base_images) {
      fmt::print("docker-pipeline: base image {} (Dockerfile line {})\n", image.reference,
                 image.line);
    }
  }
  const auto& tag = step.image_build().tags.front();
  const auto reason = step.reason_to_build(options.force || p.force);
  if (!reason) {
    pipeline::write_version_if_changed(p.built_version_file(), version.canonical);
    fmt::print("docker-pipeline: {} is up to date ({})\n", tag, step.image_id());
    return 0;
  }
  fmt::print("docker-pipeline: building {} (version {}, {} stamped file{}) with {}: {}\n", tag,
             version.canonical, p.stamp.size(), p.stamp.size() == 1 ? "" : "s", engine.builder(),
             *reason);
  for (const auto& line : stamped.report) fmt::print("docker-pipeline:   {}\n", line);
  std::fflush(stdout);
  const auto image_id = step.build();
  pipeline::write_version_if_changed(p.built_version_file(), version.canonical);
  fmt::print("docker-pipeline: built {} ({})\n", fmt::join(step.image_build().tags, ", "),
             image_id);
  return 0;
}

}  // namespace

Command add_build_command(CLI::App& parent) {
  auto options = std::make_shared<BuildOptions>();
  auto* app =
      parent.add_subcommand("build", "Build the pipeline's image, tagged <image>:<version>");
  app->footer(fmt::format(
      "The version is stamped into what the build context sends (the source tree is never "
      "modified) and passed as ARG_VERSION with the pipeline's other build args, and as "
      "SETUPTOOLS_SCM_PRETEND_VERSION, SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<NAME> and "
      "PDM_BUILD_SCM_VERSION where the Dockerfile declares them with ARG (setuptools-scm, "
      "hatch-vcs and pdm-backend read the version from them instead of git).\n\n"
      "{}\n\n"
      "Base images (FROM, COPY --from) must be present in the engine unless the pipeline has "
      "PULL ON; the build never pulls otherwise.\n\n"
      "Labels: org.opencontainers.image.version (the exact PEP 440 version), .title (the "
      "pipeline's name), .revision (the git HEAD of the context, with -dirty when tracked files in "
      "the context differ from it), .source (the git remote origin's URL without credentials, a "
      "local path as file://; none without a remote) and .created (RFC 3339 UTC, "
      "SOURCE_DATE_EPOCH when set). Tags: <image>:<version as a docker tag>, and <image>:latest "
      "with LATEST ON.\n\n"
      "Refused before anything is built: a Dockerfile that COPYs or ADDs a .pypirc (by name, or in "
      "a folder or wildcard that takes one from the context), or declares an ARG or ENV whose "
      "name contains password, token or secret (any case).\n\n"
      "Incremental: <work dir>/image.inputs records a digest of what determines the image: the "
      "files the context sends (as stamped), the Dockerfile, the build args, the labels but "
      ".created and .revision (a commit that changes no file of the context builds nothing), "
      "the secrets' ids, the builder, PULL and each base image's id. When it is "
      "unchanged and the recorded image is still in the engine, nothing is built.",
      docker::kDetectionOrder));
  add_pipeline_option(*app, options->pipeline, true);
  app->add_flag("-v,--verbose", options->verbose,
                "Say which engine and builder were chosen and why, and the base images");
  app->add_flag("--force", options->force,
                "Build even when nothing that determines the image changed (the pipeline's "
                "DOCKER_PIPELINE_FORCE does the same)");
  app->add_flag("--allow-insecure-dockerfile", options->allow_insecure_dockerfile,
                "Build a Dockerfile that would put credentials into the image (a COPY of a "
                ".pypirc, an ARG or ENV named like a password, token or secret), with warnings");
  return {app, [options] { return run_build(*options); }};
}

}  // namespace dp::cli
