#pragma once

#include <filesystem>

#include "process/environment.hpp"
#include "stages/reporter.hpp"

// The push stage (`docker-pipeline push`): the tested image, and each MATRIX variant's, to the
// registry of the pipeline's PUSH, under the version's tags.
namespace dp::stages {

struct PushOptions {
  std::filesystem::path pipeline;
  bool verbose = false;
};

// Pushes <registry>/<repository>:<version tag> (each variant as <version tag>-<variant>, the
// first also as <version tag>; with PUSH_LATEST, :latest too) of the images the test stage
// passed, with the engine's own credentials. The registry is asked first, for every tag: one
// that holds the same image (its config digest is the image id) is up to date and not pushed
// again; one that holds another image is an error before anything is pushed, unless the tag is
// latest. Each pushed tag is read back: the manifest digest is printed and written to
// <work dir>/push.json. A pipeline without PUSH has nothing to do (0).
int run_push_stage(const PushOptions& options, const process::EnvironmentLookup& environment,
                   Reporter& reporter);

}  // namespace dp::stages
