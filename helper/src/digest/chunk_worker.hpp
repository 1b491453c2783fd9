#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <thread>

namespace dp::digest {

// A thread of its own that consumes the chunks handed to it, one at a time, while the caller
// does other work with the same chunk. start() returns at once; wait() returns once that chunk
// is consumed, and rethrows what the consumer threw. The chunk must stay unchanged until then.
class ChunkWorker {
 public:
  using Consumer = std::function<void(std::span<const std::uint8_t>)>;

  explicit ChunkWorker(Consumer consume);
  ChunkWorker(const ChunkWorker&) = delete;
  ChunkWorker& operator=(const ChunkWorker&) = delete;

  void start(std::span<const std::uint8_t> chunk);
  void wait();

 private:
  void run(const std::stop_token& stop);

  Consumer consume_;
  std::mutex mutex_;
  std::condition_variable_any changed_;
  std::optional<std::span<const std::uint8_t>> chunk_;  // started, not consumed yet
  std::exception_ptr error_;
  std::jthread thread_;  // last: runs once the rest exists, and is stopped and joined first
};

}  // namespace dp::digest
