#include "stages/image/image_step.hpp"

#include <fmt/core.h>

#include <fstream>
#include <stdexcept>

#include "core/errors.hpp"
#include "docker/image_store.hpp"
#include "text/file.hpp"

namespace dp::docker {
namespace {

namespace fs = std::filesystem;

}  // namespace

ImageStep::ImageStep(const Engine& engine, ImageBuild build, fs::path dockerfile,
                     std::vector<BaseImage> base_images, fs::path record_file)
    : engine_(engine),
      build_(std::move(build)),
      dockerfile_(std::move(dockerfile)),
      base_images_(std::move(base_images)),
      record_file_(std::move(record_file)) {}

void ImageStep::check_base_images() {
  base_image_ids_ = look_up_base_images();
  inputs_.reset();
}

std::map<std::string, std::string> ImageStep::look_up_base_images() const {
  std::map<std::string, std::string> ids;
  for (const auto& image : base_images_) {
    if (const auto id = local_image_id(engine_, image.reference)) {
      ids[image.reference] = *id;
    } else if (build_.pull) {
      ids[image.reference] = "(not present: the build pulls it)";
    } else {
      throw UserError(fmt::format(
          "{}:{}: base image {} is not present locally in {} ({}); build or load it, or set PULL "
          "ON to let the build pull it",
          dockerfile_.string(), image.line, image.reference, engine_.client, image.instruction));
    }
  }
  return ids;
}

std::optional<std::string> ImageStep::reason_to_build(bool force) {
  if (!inputs_) inputs_ = collect_image_inputs(build_, engine_, base_image_ids_);
  if (force) return "forced";
  const auto record = read_inputs_record(record_file_);
  if (!record) return "no earlier build recorded";
  if (record->digest != inputs_->digest()) return describe_changes(record->inputs, *inputs_);
  if (!recorded_image_is_current(*record)) {
    return fmt::format("the image {} is no longer in {}", record->image_id, engine_.client);
  }
  image_id_ = record->image_id;
  text::write_file_if_changed(build_.iid_file, image_id_);
  return std::nullopt;
}

bool ImageStep::recorded_image_is_current(const InputsRecord& record) {
  const auto wanted = bare_image_id(record.image_id);
  std::optional<bool> exists;
  for (const auto& tag : build_.tags) {
    const auto id = local_image_id(engine_, tag);
    if (id && *id == wanted) {
      exists = true;
      continue;
    }
    if (!exists) exists = local_image_id(engine_, record.image_id).has_value();
    if (!*exists) return false;
    tag_image(engine_, record.image_id, tag);  // someone moved or removed the tag
  }
  if (exists) return *exists;
  return local_image_id(engine_, record.image_id).has_value();
}

std::string ImageStep::build(std::function<void(std::string_view)> on_line) {
  if (!inputs_) inputs_ = collect_image_inputs(build_, engine_, base_image_ids_);
  fs::remove(record_file_);
  image_id_ = build_image(engine_, build_, std::move(on_line));
  if (build_.pull) {
    // What was pulled is what the image was built from.
    base_image_ids_ = look_up_base_images();
    inputs_->summary["base_images"] = base_image_ids_;
  }
  write_inputs_record(record_file_, {inputs_->digest(), image_id_, *inputs_});
  return image_id_;
}

}  // namespace dp::docker
