#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace dp::digest {

// The hex digests an upload carries (sha256_digest, blake2_256_digest; as twine 7, no md5).
struct FileDigests {
  std::string sha256;
  std::string blake2b_256;  // BLAKE2b with a 32-byte digest, not truncated BLAKE2b-512
  std::uintmax_t size = 0;  // bytes hashed
};

// Hashes the file in one streaming read (constant memory), SHA-256 on the calling thread and
// BLAKE2b-256 on a second one. Throws text::FileError naming the file when it cannot be read,
// dp::InternalError when OpenSSL fails, process::Interrupted when an interrupting signal
// arrives (it looks between chunks of 256 KiB, so a large file does not hold up the exit).
FileDigests compute_file_digests(const std::filesystem::path& file);

}  // namespace dp::digest
