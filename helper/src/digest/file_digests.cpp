#include "digest/file_digests.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

#include "digest/chunk_worker.hpp"
#include "digest/digest.hpp"
#include "process/interrupts.hpp"
#include "text/file.hpp"

namespace dp::digest {
namespace {

// Large enough that handing a chunk to the BLAKE2b thread costs next to nothing, small enough for
// the upload's memory goal (two of them are in use).
constexpr std::size_t chunk_size = 256 * 1024;

struct FileCloser {
  void operator()(std::FILE* stream) const { std::fclose(stream); }
};
}  // namespace

FileDigests compute_file_digests(const std::filesystem::path& file) {
  std::unique_ptr<std::FILE, FileCloser> stream{std::fopen(file.c_str(), "rb")};
  if (!stream) throw text::FileError(fmt::format("{}: cannot open for hashing", file.string()));
  const auto read = [&stream](std::vector<std::uint8_t>& buffer) {
    return std::fread(buffer.data(), 1, buffer.size(), stream.get());
  };

  Hasher sha256{Algorithm::sha256};
  Hasher blake2b_256{Algorithm::blake2b_256};
  // The digests end the request, so the hashing is on the upload's critical path. Two lanes,
  // BLAKE2b on a thread of its own and SHA-256 here, hash each chunk at once, while the other
  // buffer takes the next one. A file of one chunk (most dists) is hashed here alone: a thread
  // would cost it more than it saves.
  std::error_code size_unknown;
  const std::uintmax_t file_size = std::filesystem::file_size(file, size_unknown);
  const bool one_chunk = !size_unknown && file_size < chunk_size;
  const std::size_t buffer_size = one_chunk ? std::max<std::size_t>(file_size, 1) : chunk_size;
  std::array<std::vector<std::uint8_t>, 2> buffers{std::vector<std::uint8_t>(buffer_size),
                                                   std::vector<std::uint8_t>(buffer_size)};
  std::optional<ChunkWorker> blake2b_lane;
  if (!one_chunk) {
    blake2b_lane.emplace(
        [&blake2b_256](std::span<const std::uint8_t> chunk) { blake2b_256.update(chunk); });
  }

  FileDigests digests;
  std::size_t count = read(buffers[0]);
  for (std::size_t current = 0; count > 0; current ^= 1) {
    process::throw_if_interrupted();
    const std::span chunk{buffers[current].data(), count};
    if (blake2b_lane) blake2b_lane->start(chunk);
    digests.size += count;
    count = read(buffers[current ^ 1]);
    sha256.update(chunk);
    if (blake2b_lane) {
      blake2b_lane->wait();
    } else {
      blake2b_256.update(chunk);
    }
  }
  if (std::ferror(stream.get())) {
    throw text::FileError(fmt::format("{}: read error while hashing", file.string()));
  }
  digests.sha256 = sha256.hex();
  digests.blake2b_256 = blake2b_256.hex();
  return digests;
}

}  // namespace dp::digest
