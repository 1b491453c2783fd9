#include <fmt/core.h>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "docker/engine.hpp"
#include "stages/image/image_stage.hpp"

namespace dp::cli {

Command add_build_command(CLI::App& parent) {
  auto options = std::make_shared<stages::ImageOptions>();
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
  return stage_command(app, options, stages::run_image_stage);
}

}  // namespace dp::cli
