#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace dp::pypi {

// Unkeyed BLAKE2b (RFC 7693) with a chosen digest size, as Python's
// hashlib.blake2b(digest_size=N). Needed because OpenSSL 3.0 cannot produce it: its
// BLAKE2B-512 digest silently ignores a "size" parameter (the output stays 64 bytes, and a
// truncated BLAKE2b-512 is a different value), and its BLAKE2BMAC rejects an empty key.
class Blake2b {
 public:
  explicit Blake2b(std::size_t digest_size);  // 1..64 bytes

  void update(std::span<const std::uint8_t> data);
  std::vector<std::uint8_t> finish();  // call once

 private:
  void compress(bool last);

  std::array<std::uint64_t, 8> state_{};
  std::array<std::uint8_t, 128> block_{};
  std::size_t block_used_ = 0;
  std::uint64_t bytes_low_ = 0;  // 128-bit message byte counter
  std::uint64_t bytes_high_ = 0;
  std::size_t digest_size_;
};

}  // namespace dp::pypi
