#include "digest/chunk_worker.hpp"

#include <utility>

namespace dp::digest {

ChunkWorker::ChunkWorker(Consumer consume)
    : consume_(std::move(consume)), thread_([this](std::stop_token stop) { run(stop); }) {}

void ChunkWorker::start(std::span<const std::uint8_t> chunk) {
  {
    const std::lock_guard lock{mutex_};
    chunk_ = chunk;
  }
  changed_.notify_all();
}

void ChunkWorker::wait() {
  std::unique_lock lock{mutex_};
  changed_.wait(lock, [this] { return !chunk_; });
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void ChunkWorker::run(const std::stop_token& stop) {
  std::unique_lock lock{mutex_};
  while (changed_.wait(lock, stop, [this] { return chunk_.has_value(); })) {
    const auto chunk = *chunk_;
    lock.unlock();
    std::exception_ptr error;
    try {
      consume_(chunk);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    error_ = error;
    chunk_.reset();
    changed_.notify_all();
  }
}

}  // namespace dp::digest
