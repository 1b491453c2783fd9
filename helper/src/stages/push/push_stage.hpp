#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "docker/engine.hpp"
#include "pipeline/pipeline.hpp"
#include "process/environment.hpp"
#include "registry/push_repository.hpp"
#include "registry/registry_client.hpp"
#include "stages/reporter.hpp"

// The push step of `publish`: the tested image, and each MATRIX variant's, to the registry of
// the pipeline's PUSH, under the version's tags.
namespace dp::stages {

// One tag of the push and the image it names.
struct ImageTag {
  std::string tag;
  std::string image_id;  // bare hex
  std::string digest;    // the registry's manifest digest, once it holds the image
  bool sent = false;     // pushed by this run (not found up to date)
};

// <registry>/<repository>:<version tag> (each variant as <version tag>-<variant>, the first
// also as <version tag>; with PUSH_LATEST, latest too) of the images the test stage passed,
// pushed with the engine's own login (docker login, podman login), which never passes through
// here.
class ImagePush {
 public:
  // Asks the registry before anything is sent: that it takes the engine's stored login for the
  // repository, and what every tag holds. A tag holding the same image (its config digest is the
  // image id) is up to date; one holding another image is a UserError naming it, unless the tag
  // is latest. Throws registry::RegistryError when the registry refuses or does not answer.
  static ImagePush prepare(const pipeline::Pipeline& p, const std::string& version_tag,
                           const docker::Engine& engine,
                           const process::EnvironmentLookup& environment);

  // Pushes the tags the registry lacks and reads each back; returns every tag with its digest.
  const std::vector<ImageTag>& run(Reporter& reporter);

  const registry::PushRepository& target() const { return target_; }

 private:
  ImagePush(registry::PushRepository target, registry::RegistryClient client,
            const docker::Engine& engine);

  registry::PushRepository target_;
  registry::RegistryClient client_;
  const docker::Engine& engine_;
  std::vector<ImageTag> tags_;
};

}  // namespace dp::stages
