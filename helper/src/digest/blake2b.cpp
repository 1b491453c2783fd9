#include "digest/blake2b.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

namespace dp::digest {
namespace {

constexpr std::array<std::uint64_t, 8> initial_vector = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};

// The message word permutations; rounds 10 and 11 repeat the first two.
constexpr std::uint8_t sigma[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
};

std::uint64_t load_little_endian(const std::uint8_t* bytes) {
  std::uint64_t word = 0;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(&word, bytes, sizeof word);  // GCC does not see the loop below as one load
  } else {
    for (int i = 7; i >= 0; --i) word = (word << 8) | bytes[i];
  }
  return word;
}

inline void mix(std::uint64_t* v, int a, int b, int c, int d, std::uint64_t x, std::uint64_t y) {
  v[a] = v[a] + v[b] + x;
  v[d] = std::rotr(v[d] ^ v[a], 32);
  v[c] = v[c] + v[d];
  v[b] = std::rotr(v[b] ^ v[c], 24);
  v[a] = v[a] + v[b] + y;
  v[d] = std::rotr(v[d] ^ v[a], 16);
  v[c] = v[c] + v[d];
  v[b] = std::rotr(v[b] ^ v[c], 63);
}

}  // namespace

Blake2b::Blake2b(std::size_t digest_size) : state_(initial_vector), digest_size_(digest_size) {
  if (digest_size < 1 || digest_size > 64) {
    throw std::invalid_argument(
        fmt::format("BLAKE2b digest size must be 1 to 64 bytes, not {}", digest_size));
  }
  // The parameter block: digest size, no key, fanout 1, depth 1.
  state_[0] ^= 0x01010000 ^ digest_size;
}

void Blake2b::update(std::span<const std::uint8_t> data) {
  while (!data.empty()) {
    if (pending_size_ == block_size) {
      compress(pending_.data(), block_size, false);
      pending_size_ = 0;
    }
    if (pending_size_ == 0) {
      // Whole blocks straight from the input, all but the one that may turn out to be the last.
      while (data.size() > block_size) {
        compress(data.data(), block_size, false);
        data = data.subspan(block_size);
      }
    }
    const std::size_t taken = std::min(data.size(), block_size - pending_size_);
    std::copy_n(data.data(), taken, pending_.data() + pending_size_);
    pending_size_ += taken;
    data = data.subspan(taken);
  }
}

std::vector<std::uint8_t> Blake2b::finish() {
  std::fill(pending_.begin() + static_cast<std::ptrdiff_t>(pending_size_), pending_.end(), 0);
  compress(pending_.data(), pending_size_, true);
  std::vector<std::uint8_t> digest(digest_size_);
  for (std::size_t i = 0; i < digest_size_; ++i) {
    digest[i] = static_cast<std::uint8_t>(state_[i / 8] >> (8 * (i % 8)));
  }
  return digest;
}

void Blake2b::compress(const std::uint8_t* block, std::size_t length, bool last) {
  bytes_low_ += length;
  if (bytes_low_ < length) ++bytes_high_;
  std::uint64_t m[16];
  for (int i = 0; i < 16; ++i) m[i] = load_little_endian(block + 8 * i);
  std::uint64_t v[16];
  std::copy(state_.begin(), state_.end(), v);
  std::copy(initial_vector.begin(), initial_vector.end(), v + 8);
  v[12] ^= bytes_low_;
  v[13] ^= bytes_high_;
  if (last) v[14] = ~v[14];
    // Fully unrolled, the permutation indices are constants and the message stays in registers:
    // twice the speed of the loop.
#pragma GCC unroll 12
  for (const auto& s : sigma) {
    mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
    mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
    mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
    mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
    mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
    mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
    mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
    mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  for (int i = 0; i < 8; ++i) state_[i] ^= v[i] ^ v[i + 8];
}

}  // namespace dp::digest
