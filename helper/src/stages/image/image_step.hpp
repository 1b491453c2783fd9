#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docker/base_images.hpp"
#include "docker/engine.hpp"
#include "docker/image_build.hpp"
#include "stages/image/image_inputs.hpp"

namespace dp::docker {

// The image step of a pipeline: checks the base images, decides from the recorded inputs whether
// the image must be built, builds it and records what it was built from.
class ImageStep {
 public:
  // `dockerfile` is the Dockerfile's path for messages, `record_file` where the inputs are kept.
  ImageStep(const Engine& engine, ImageBuild build, std::filesystem::path dockerfile,
            std::vector<BaseImage> base_images, std::filesystem::path record_file);

  // Looks each base image up in the engine; one that is missing is an error naming it and the
  // Dockerfile line, unless the build may pull.
  void check_base_images();

  // nullopt when the recorded image is current and still in the engine (its tags are put back
  // if they moved); else why it must be built.
  std::optional<std::string> reason_to_build(bool force);

  // Builds (the output to `on_line` when given, see docker::build_image), records the inputs
  // beside the image id, and returns the id.
  std::string build(std::function<void(std::string_view)> on_line = {});

  const std::string& image_id() const { return image_id_; }
  const ImageBuild& image_build() const { return build_; }

 private:
  bool recorded_image_is_current(const InputsRecord& record);
  std::map<std::string, std::string> look_up_base_images() const;

  const Engine& engine_;
  ImageBuild build_;
  std::filesystem::path dockerfile_;
  std::vector<BaseImage> base_images_;
  std::filesystem::path record_file_;
  std::map<std::string, std::string> base_image_ids_;
  std::optional<ImageInputs> inputs_;
  std::string image_id_;
};

}  // namespace dp::docker
