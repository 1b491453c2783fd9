#pragma once

#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace dp::pypi {

// Unkeyed BLAKE2b (RFC 7693) with a chosen digest size, as Python's
// hashlib.blake2b(digest_size=N), through libsodium's vectorized implementation. OpenSSL 3.0
// cannot produce it: its BLAKE2B-512 digest ignores a "size" parameter (and a truncated
// BLAKE2b-512 is a different value), and its BLAKE2BMAC rejects an empty key.
class Blake2b {
 public:
  explicit Blake2b(std::size_t digest_size);  // 1..64 bytes; std::invalid_argument otherwise

  void update(std::span<const std::uint8_t> data);
  std::vector<std::uint8_t> finish();  // call once

 private:
  crypto_generichash_blake2b_state state_;
  std::size_t digest_size_;
};

}  // namespace dp::pypi
