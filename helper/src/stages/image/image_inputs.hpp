#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "docker/engine.hpp"
#include "docker/image_build.hpp"

namespace dp::docker {

// What determines an image: every file the context sends (as sent: stamped content, mode, link
// targets), the Dockerfile's path, the build args, the labels but `created` and `revision`, the
// secrets' ids (never their values), the builder, whether it may pull, and each base image's id.
struct ImageInputs {
  nlohmann::json summary;                    // all but the files, for messages
  std::map<std::string, std::string> files;  // relative path -> "<mode> <sha256>"

  std::string digest() const;
};

// `base_image_ids`: reference -> id, as the engine has them now.
ImageInputs collect_image_inputs(const ImageBuild& build, const Engine& engine,
                                 const std::map<std::string, std::string>& base_image_ids);

// <work dir>/image.inputs: the inputs of the image last built, beside its id.
struct InputsRecord {
  std::string digest;
  std::string image_id;
  ImageInputs inputs;
};

// nullopt when there is no record or it cannot be read (then the image is built).
std::optional<InputsRecord> read_inputs_record(const std::filesystem::path& file);
// Written atomically, so an interrupted write leaves the old record or none.
void write_inputs_record(const std::filesystem::path& file, const InputsRecord& record);

// What differs, in words, e.g. "pydemo/cli.py changed, version 1.0 -> 1.1"; at most a few items.
std::string describe_changes(const ImageInputs& before, const ImageInputs& now);

}  // namespace dp::docker
