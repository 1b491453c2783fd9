#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace dp::docker {

// An incremental SHA-256 (OpenSSL) for the digests of image inputs.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& update(std::string_view data);
  // Hashes the file's content in one streaming read; throws naming the file when it fails.
  Sha256& update_file(const std::filesystem::path& file);
  // The lower-case hex digest; the object cannot be updated afterwards.
  std::string hex();

  static std::string of(std::string_view data) { return Sha256().update(data).hex(); }

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace dp::docker
