#include "pypi/file_digests.hpp"

#include <fmt/core.h>
#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <memory>
#include <span>
#include <stdexcept>
#include <vector>

#include "pypi/blake2b.hpp"

namespace dp::pypi {
namespace {

struct FileCloser {
  void operator()(std::FILE* stream) const { std::fclose(stream); }
};
struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const auto byte : bytes) {
    hex += digits[byte >> 4];
    hex += digits[byte & 0x0f];
  }
  return hex;
}

// One OpenSSL message digest fed incrementally.
class EvpDigest {
 public:
  EvpDigest(const EVP_MD* algorithm, const char* name) : name_(name) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), algorithm, nullptr) != 1) {
      throw std::runtime_error(fmt::format("OpenSSL cannot start a {} digest", name_));
    }
  }
  void update(std::span<const std::uint8_t> data) {
    if (EVP_DigestUpdate(context_.get(), data.data(), data.size()) != 1) {
      throw std::runtime_error(fmt::format("OpenSSL {} digest update failed", name_));
    }
  }
  std::string finish_hex() {
    std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest.data(), &size) != 1) {
      throw std::runtime_error(fmt::format("OpenSSL {} digest failed", name_));
    }
    return to_hex(std::span{digest.data(), size});
  }

 private:
  std::unique_ptr<EVP_MD_CTX, DigestContextFree> context_{EVP_MD_CTX_new()};
  const char* name_;
};

}  // namespace

FileDigests compute_file_digests(const std::filesystem::path& file) {
  std::unique_ptr<std::FILE, FileCloser> stream{std::fopen(file.c_str(), "rb")};
  if (!stream) throw std::runtime_error(fmt::format("{}: cannot open for hashing", file.string()));

  EvpDigest md5{EVP_md5(), "MD5"};
  EvpDigest sha256{EVP_sha256(), "SHA-256"};
  Blake2b blake2b_256{32};
  FileDigests digests;
  std::vector<std::uint8_t> buffer(64 * 1024);
  while (const std::size_t count = std::fread(buffer.data(), 1, buffer.size(), stream.get())) {
    const std::span chunk{buffer.data(), count};
    md5.update(chunk);
    sha256.update(chunk);
    blake2b_256.update(chunk);
    digests.size += count;
  }
  if (std::ferror(stream.get())) {
    throw std::runtime_error(fmt::format("{}: read error while hashing", file.string()));
  }
  digests.md5 = md5.finish_hex();
  digests.sha256 = sha256.finish_hex();
  digests.blake2b_256 = to_hex(blake2b_256.finish());
  return digests;
}

}  // namespace dp::pypi
