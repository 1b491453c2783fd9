#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "docker/engine.hpp"

namespace dp::docker {

// The id of an image in the engine's store (`image inspect`), without the "sha256:" prefix some
// engines add; nullopt when the engine has no such image. Throws when the engine fails otherwise.
std::optional<std::string> local_image_id(const Engine& engine, const std::string& reference);

// The value of label `name` of the image `reference`; "" when it has no such label.
std::string image_label(const Engine& engine, const std::string& reference,
                        const std::string& name);

// Points `tag` at the image `id`.
void tag_image(const Engine& engine, const std::string& id, const std::string& tag);

// Pushes `reference` ("<registry>/<repository>:<tag>") to its registry with the engine's own
// credentials (what `docker login` / `podman login` stored; none pass through here). A registry
// reached over plain HTTP (a loopback one) needs podman's --tls-verify=false; docker allows
// 127.0.0.0/8 by itself. Throws EngineError with the client's last words when it fails.
void push_image(const Engine& engine, const std::string& reference, bool plain_http);

// "sha256:abc..." and "abc..." name the same image.
std::string_view bare_image_id(std::string_view id);

}  // namespace dp::docker
