#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// The helper's one message digest: every hash it computes (image inputs, upload digests, the
// sha256 of each archive member) comes from here.
namespace dp::digest {

enum class Algorithm {
  md5,
  sha256,
  blake2b_256,  // BLAKE2b with a 32-byte digest (not truncated BLAKE2b-512), as PyPI's
};

// An incremental hasher: MD5 and SHA-256 through OpenSSL's EVP API, BLAKE2b-256 through Blake2b
// (OpenSSL 3.0 cannot make it). Feed it, then take the digest once in one of the three forms;
// it cannot be updated afterwards. OpenSSL failing throws dp::InternalError.
class Hasher {
 public:
  explicit Hasher(Algorithm algorithm);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;

  Hasher& update(std::span<const std::uint8_t> data);
  Hasher& update(std::string_view data);
  // Hashes the file's content in one streaming read (constant memory); throws text::FileError
  // naming the file when it cannot be read.
  Hasher& update_file(const std::filesystem::path& file);

  std::vector<std::uint8_t> finish();
  std::string hex() { return to_hex(finish()); }
  std::string urlsafe_base64() { return to_urlsafe_base64(finish()); }

  // Lower-case hex, as index APIs and docker show digests.
  static std::string to_hex(std::span<const std::uint8_t> bytes);
  // RFC 4648 section 5 ("base64url") without '=' padding, as wheel RECORD files hold digests.
  static std::string to_urlsafe_base64(std::span<const std::uint8_t> bytes);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The hex digest of `data`.
inline std::string hex_of(Algorithm algorithm, std::string_view data) {
  return Hasher{algorithm}.update(data).hex();
}

// The hex digest of a file's content, read once; throws text::FileError naming the file.
inline std::string hex_of_file(Algorithm algorithm, const std::filesystem::path& file) {
  return Hasher{algorithm}.update_file(file).hex();
}

}  // namespace dp::digest
