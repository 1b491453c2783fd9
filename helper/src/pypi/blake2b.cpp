#include "pypi/blake2b.hpp"

#include <fmt/core.h>

#include <stdexcept>

namespace dp::pypi {

Blake2b::Blake2b(std::size_t digest_size) : digest_size_(digest_size) {
  if (digest_size < 1 || digest_size > crypto_generichash_blake2b_BYTES_MAX) {
    throw std::invalid_argument(
        fmt::format("BLAKE2b digest size must be 1 to 64 bytes, not {}", digest_size));
  }
  // Idempotent and thread-safe; picks the implementation the CPU runs fastest.
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
  crypto_generichash_blake2b_init(&state_, nullptr, 0, digest_size);
}

void Blake2b::update(std::span<const std::uint8_t> data) {
  crypto_generichash_blake2b_update(&state_, data.data(), data.size());
}

std::vector<std::uint8_t> Blake2b::finish() {
  std::vector<std::uint8_t> digest(digest_size_);
  crypto_generichash_blake2b_final(&state_, digest.data(), digest.size());
  return digest;
}

}  // namespace dp::pypi
