#pragma once

#include <filesystem>

#include "process/environment.hpp"
#include "stages/reporter.hpp"

// The publish stage (`docker-pipeline publish`, the <name>-publish target): one release, all or
// nothing as far as can be known before a byte is sent, finished by running it again.
namespace dp::stages {

struct PublishOptions {
  std::filesystem::path pipeline;
  bool preflight_only = false;  // --preflight: the checks alone (the <name>-preflight target)
  bool verbose = false;
};

// Preflight, before anything is uploaded or pushed: every dist passes check and carries the
// built version, as does the image's version label; the index's credentials resolve and its
// simple API lists no file of these names with another sha256; with PUSH, the registry takes the
// engine's login and no version tag there holds another image. A failure names what failed and
// sends nothing. Then, in this order: the wheels, the sdist (the upload stage, with its journal,
// so that a run again sends only what is missing), the image tags (the registry is asked, so the
// same holds), and the release record <output dir>/release.json (see README: the release record),
// written atomically, and not at all when nothing in it changed.
int run_publish_stage(const PublishOptions& options, const process::EnvironmentLookup& environment,
                      Reporter& reporter);

}  // namespace dp::stages
