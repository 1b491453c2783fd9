#pragma once

#include <string>
#include <string_view>

#include "digest/digest.hpp"

namespace dp::docker {

// digest::Hasher with SHA-256, by the name the image and test stages know it (they are being
// rewritten apart from this change; new code names digest::Hasher).
class Sha256 : public digest::Hasher {
 public:
  Sha256() : Hasher(digest::Algorithm::sha256) {}

  static std::string of(std::string_view data) {
    return digest::hex_of(digest::Algorithm::sha256, data);
  }
};

}  // namespace dp::docker
