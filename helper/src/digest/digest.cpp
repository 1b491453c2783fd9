#include "digest/digest.hpp"

#include <fmt/core.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <optional>

#include "core/errors.hpp"
#include "digest/blake2b.hpp"
#include "text/file.hpp"

namespace dp::digest {
namespace {

struct EvpContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

const char* name_of(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::md5:
      return "MD5";
    case Algorithm::sha256:
      return "SHA-256";
    case Algorithm::blake2b_256:
      return "BLAKE2b-256";
  }
  return "unknown";
}

}  // namespace

// Exactly one of the two engines is in use: OpenSSL's context, or the own BLAKE2b.
struct Hasher::State {
  const char* name;
  std::unique_ptr<EVP_MD_CTX, EvpContextFree> evp;
  std::optional<Blake2b> blake2b;
};

Hasher::Hasher(Algorithm algorithm) : state_(std::make_unique<State>()) {
  state_->name = name_of(algorithm);
  if (algorithm == Algorithm::blake2b_256) {
    state_->blake2b.emplace(32);
    return;
  }
  state_->evp.reset(EVP_MD_CTX_new());
  const EVP_MD* md = algorithm == Algorithm::md5 ? EVP_md5() : EVP_sha256();
  if (!state_->evp || EVP_DigestInit_ex(state_->evp.get(), md, nullptr) != 1) {
    throw InternalError(fmt::format("OpenSSL cannot start a {} digest", state_->name));
  }
}

Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

Hasher& Hasher::update(std::span<const std::uint8_t> data) {
  if (state_->blake2b) {
    state_->blake2b->update(data);
  } else if (EVP_DigestUpdate(state_->evp.get(), data.data(), data.size()) != 1) {
    throw InternalError(fmt::format("OpenSSL {} digest update failed", state_->name));
  }
  return *this;
}

Hasher& Hasher::update(std::string_view data) {
  return update({reinterpret_cast<const std::uint8_t*>(data.data()), data.size()});
}

Hasher& Hasher::update_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw text::FileError(fmt::format("cannot read {}", file.string()));
  }
  std::array<char, 64 * 1024> buffer{};
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    update({buffer.data(), static_cast<std::size_t>(in.gcount())});
  }
  if (in.bad()) throw text::FileError(fmt::format("error reading {}", file.string()));
  return *this;
}

std::vector<std::uint8_t> Hasher::finish() {
  if (state_->blake2b) return state_->blake2b->finish();
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(state_->evp.get(), digest.data(), &size) != 1) {
    throw InternalError(fmt::format("OpenSSL {} digest failed", state_->name));
  }
  return {digest.begin(), digest.begin() + size};
}

std::string Hasher::to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const auto byte : bytes) {
    hex += digits[byte >> 4];
    hex += digits[byte & 0x0f];
  }
  return hex;
}

std::string Hasher::to_urlsafe_base64(std::span<const std::uint8_t> bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string encoded;
  encoded.reserve((bytes.size() + 2) / 3 * 4);
  // Each group of three bytes (the last one possibly shorter) gives one character per 6 bits.
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t count = std::min<std::size_t>(3, bytes.size() - i);
    unsigned value = 0;
    for (std::size_t j = 0; j < 3; ++j) value = (value << 8U) | (j < count ? bytes[i + j] : 0U);
    for (std::size_t j = 0; j <= count; ++j) encoded += alphabet[(value >> (18 - 6 * j)) & 0x3fU];
  }
  return encoded;
}

}  // namespace dp::digest
