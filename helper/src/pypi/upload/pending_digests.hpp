#pragma once

#include <filesystem>
#include <future>

#include "digest/file_digests.hpp"

namespace dp::pypi {

// The digests of a file, computed on a thread of their own from construction on, so that the
// hashing overlaps with whatever comes next (sending the file). get() waits for them and
// rethrows what the hashing threw. An interrupting signal ends the hashing within a chunk
// (process::Interrupted), so the destructor, which waits for the thread, does not hold up an
// exit.
class PendingDigests {
 public:
  explicit PendingDigests(const std::filesystem::path& file);
  // Digests computed earlier (to check an attestation before anything was sent): ready at once.
  explicit PendingDigests(digest::FileDigests ready);

  const digest::FileDigests& get() const { return future_.get(); }

 private:
  std::shared_future<digest::FileDigests> future_;
};

}  // namespace dp::pypi
