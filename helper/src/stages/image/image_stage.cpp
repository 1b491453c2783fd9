#include "stages/image/image_stage.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "core/errors.hpp"
#include "docker/base_images.hpp"
#include "docker/build_secrets.hpp"
#include "docker/engine.hpp"
#include "docker/image_labels.hpp"
#include "pipeline/matrix.hpp"
#include "process/parallel.hpp"
#include "stages/image/context_stamp.hpp"
#include "stages/image/image_step.hpp"
#include "stages/variants.hpp"

namespace dp::stages {

namespace fs = std::filesystem;

std::vector<docker::Instruction> read_dockerfile(const pipeline::Pipeline& p) {
  const auto dockerfile = p.context / p.dockerfile;
  std::error_code error;
  if (!fs::is_directory(p.context, error)) {
    throw pipeline::PipelineError(fmt::format("{}: field 'context': {} is not a directory",
                                              p.file.string(), p.context.string()));
  }
  if (!fs::is_regular_file(dockerfile, error)) {
    throw pipeline::PipelineError(fmt::format("{}: field 'dockerfile': {} is not a file",
                                              p.file.string(), dockerfile.string()));
  }
  try {
    return docker::parse_dockerfile(docker::read_dockerfile(dockerfile));
  } catch (docker::DockerfileError& e) {
    e.add_context(dockerfile.string());
    throw;
  }
}

void check_matrix_arg(const pipeline::Pipeline& p,
                      const std::vector<docker::Instruction>& instructions) {
  if (p.matrix_arg.empty() || docker::declared_args(instructions).contains(p.matrix_arg)) return;
  throw pipeline::PipelineError(fmt::format(
      "{}: field 'matrix.build_arg': the Dockerfile {} declares no ARG {}, so every variant would "
      "build the same image; declare it (ARG {} before FROM for a base image)",
      p.file.string(), (p.context / p.dockerfile).string(), p.matrix_arg, p.matrix_arg));
}

ImagePlan prepare_image(pipeline::Pipeline p) {
  ImagePlan plan;
  plan.pipeline = std::move(p);
  const auto& pipeline = plan.pipeline;
  plan.version = pipeline::resolve_version(pipeline);
  plan.dockerfile = pipeline.context / pipeline.dockerfile;
  plan.instructions = read_dockerfile(pipeline);
  check_matrix_arg(pipeline, plan.instructions);
  const auto& version = plan.version.canonical;
  const auto declared = docker::declared_args(plan.instructions);
  const auto version_args = version_build_args(declared, pipeline, version);
  std::set<std::string> build_variables;
  for (const auto& arg : version_args) build_variables.insert(arg.first);

  auto& build = plan.build;
  build.context.root = pipeline.context;
  build.context.excluded_dirs = {pipeline.work_dir};
  if (!pipeline.binary_dir.empty()) build.context.excluded_dirs.push_back(pipeline.binary_dir);
  auto stamped = stamp_context(pipeline, version, build_variables);
  build.context.replacements = std::move(stamped.replacements);
  plan.stamp_report = std::move(stamped.report);
  build.context.always_sent = {pipeline.dockerfile.lexically_normal().generic_string(),
                               ".dockerignore"};
  if (!pipeline.wheelhouse.empty()) {
    build.context.added_dirs[docker::kWheelhouseInContext] = pipeline.wheelhouse;
  }
  plan.findings =
      docker::lint_dockerfile(plan.instructions, docker::list_context_files(build.context));

  build.dockerfile = pipeline.dockerfile.generic_string();
  // A matrix's first variant is also <image>:<version> (and :latest).
  build.tags = {pipeline.image_tag(plan.version.docker_tag)};
  if (!pipeline.variant.empty() && pipeline.primary) {
    build.tags.push_back(pipeline.image + ":" + plan.version.docker_tag);
  }
  if (pipeline.latest && pipeline.primary) build.tags.push_back(pipeline.image + ":latest");
  build.build_args.emplace_back("ARG_VERSION", version);
  build.build_args.insert(build.build_args.end(), version_args.begin(), version_args.end());
  const auto reproducible = reproducibility_build_args(declared, pipeline);
  build.build_args.insert(build.build_args.end(), reproducible.begin(), reproducible.end());
  build.build_args.insert(build.build_args.end(), pipeline.build_args.begin(),
                          pipeline.build_args.end());
  return plan;
}

void check_lint(const ImagePlan& plan, bool allowed, Reporter& reporter) {
  const auto& findings = plan.findings;
  if (findings.empty()) return;
  const auto where = [&](const docker::LintFinding& finding) {
    return fmt::format("{}:{}", plan.dockerfile.string(), finding.line);
  };
  if (allowed) {
    for (const auto& finding : findings) {
      reporter.warn(fmt::format("{}: {} (allowed by --allow-insecure-dockerfile)", where(finding),
                                finding.message));
    }
    return;
  }
  auto message = fmt::format("{}: {}", where(findings.front()), findings.front().message);
  if (findings.size() > 1) {
    std::vector<std::string> others;
    for (std::size_t i = 1; i < findings.size(); ++i) others.push_back(where(findings[i]));
    message += fmt::format("; and {} more: {}", others.size(), fmt::join(others, ", "));
  }
  throw UserError(message + " (--allow-insecure-dockerfile builds it anyway)");
}

namespace {

// RUN --mount (cache and bind mounts, as a compile cache uses) needs BuildKit or podman.
void require_mount_support(const docker::Engine& engine, const ImagePlan& plan) {
  if (engine.can_mount_secrets()) return;
  if (const auto run = docker::first_run_mount(plan.instructions)) {
    throw docker::EngineError(fmt::format(
        "{}:{}: RUN --mount needs BuildKit or podman, but {} {} builds here with the classic "
        "builder: {}",
        plan.dockerfile.string(), run->line, engine.client, engine.version,
        docker::kMountingBuilders));
  }
}

// One image: the pipeline's, or one variant's of a matrix.
int build_image(const ImageOptions& options, const pipeline::Pipeline& pipeline,
                Reporter& reporter) {
  auto plan = prepare_image(pipeline);
  check_lint(plan, options.allow_insecure_dockerfile, reporter);
  const auto& p = plan.pipeline;
  const auto& version = plan.version.canonical;

  const auto engine = docker::detect_engine(p.engine);
  if (options.verbose) {
    reporter.say(fmt::format("engine: {}, builder: {} ({})", engine.client, engine.builder(),
                             engine.reason));
  }
  auto& build = plan.build;
  for (const auto& secret : p.secrets)
    build.secrets.push_back({secret.id, secret.file, secret.variable});
  docker::require_secret_support(engine, build.secrets);
  require_mount_support(engine, plan);
  build.labels = docker::OciLabels{version, p.name, docker::git_source_revision(p.context),
                                   docker::created_timestamp(), p.variant}
                     .labels();
  build.pull = p.pull;
  fs::create_directories(p.work_dir);
  build.iid_file = p.iid_file();

  const auto base_images = docker::base_images(plan.instructions, build.build_args);
  docker::ImageStep step(engine, std::move(build), plan.dockerfile, base_images,
                         p.work_dir / "image.inputs");
  step.check_base_images();
  if (options.verbose) {
    for (const auto& image : base_images) {
      reporter.say(fmt::format("base image {} (Dockerfile line {})", image.reference, image.line));
    }
  }
  const auto& tag = step.image_build().tags.front();
  const auto reason = step.reason_to_build(options.force || p.force);
  if (!reason) {
    pipeline::write_version_if_changed(p.built_version_file(), version);
    reporter.say(fmt::format("{} is up to date ({})", tag, step.image_id()));
    reporter.summarize(
        {"Images", {"image", "id", "result"}, {{tag, step.image_id(), "up to date"}}});
    return 0;
  }
  reporter.say(fmt::format("building {} (version {}, {} stamped file{}) with {}: {}", tag, version,
                           p.stamp.size(), p.stamp.size() == 1 ? "" : "s", engine.builder(),
                           *reason));
  for (const auto& line : plan.stamp_report) reporter.say("  " + line);
  const auto image_id = step.build(reporter.container_output());
  pipeline::write_version_if_changed(p.built_version_file(), version);
  reporter.say(fmt::format("built {} ({})", fmt::join(step.image_build().tags, ", "), image_id));
  reporter.summarize({"Images", {"image", "id", "result"}, {{tag, image_id, "built"}}});
  return 0;
}

}  // namespace

int run_image_stage(const ImageOptions& options, Reporter& reporter) {
  const auto p = pipeline::load(options.pipeline);
  if (p.variants.empty()) return build_image(options, p, reporter);
  // Every variant is built with the version read once, which the stages after them use.
  const auto version = pipeline::resolve_version(p);
  auto variants = pipeline::expand_matrix(p);
  for (auto& variant : variants)
    variant.version = pipeline::VersionSource::fixed(version.canonical);
  const int jobs = process::jobs_from(options.jobs);
  reporter.say(fmt::format("{} {}: {} variants of {} ({} at once)", p.name, version.canonical,
                           variants.size(), p.matrix_arg,
                           std::min<std::size_t>(variants.size(), static_cast<std::size_t>(jobs))));
  const auto status = for_each_variant(variants, jobs, reporter,
                                       [&](const pipeline::Pipeline& variant, Reporter& out) {
                                         return build_image(options, variant, out);
                                       });
  pipeline::write_version_if_changed(p.built_version_file(), version.canonical);
  return status;
}

}  // namespace dp::stages
