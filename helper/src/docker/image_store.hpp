#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "docker/engine.hpp"

namespace dp::docker {

// The id of an image in the engine's store (`image inspect`), without the "sha256:" prefix some
// engines add; nullopt when the engine has no such image. Throws when the engine fails otherwise.
std::optional<std::string> local_image_id(const Engine& engine, const std::string& reference);

// Points `tag` at the image `id`.
void tag_image(const Engine& engine, const std::string& id, const std::string& tag);

// "sha256:abc..." and "abc..." name the same image.
std::string_view bare_image_id(std::string_view id);

}  // namespace dp::docker
