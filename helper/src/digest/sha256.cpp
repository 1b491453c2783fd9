#include "digest/sha256.hpp"

#include <fmt/core.h>
#include <openssl/evp.h>

#include <fstream>
#include <stdexcept>

namespace dp::docker {

struct Sha256::Context {
  struct Deleter {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  std::unique_ptr<EVP_MD_CTX, Deleter> evp{EVP_MD_CTX_new()};
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {
  if (!context_->evp || EVP_DigestInit_ex(context_->evp.get(), EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL: cannot start a SHA-256 digest");
  }
}

Sha256::~Sha256() = default;

Sha256& Sha256::update(std::string_view data) {
  if (EVP_DigestUpdate(context_->evp.get(), data.data(), data.size()) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 update failed");
  }
  return *this;
}

Sha256& Sha256::update_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", file.string()));
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    update({buffer, static_cast<std::size_t>(in.gcount())});
  }
  if (in.bad()) throw std::runtime_error(fmt::format("error reading {}", file.string()));
  return *this;
}

std::string Sha256::hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(context_->evp.get(), digest, &size) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 final failed");
  }
  std::string hex;
  hex.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace dp::docker
