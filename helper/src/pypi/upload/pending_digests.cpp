#include "pypi/upload/pending_digests.hpp"

namespace dp::pypi {

PendingDigests::PendingDigests(const std::filesystem::path& file)
    : future_(std::async(std::launch::async, digest::compute_file_digests, file).share()) {}

PendingDigests::PendingDigests(digest::FileDigests ready) {
  std::promise<digest::FileDigests> promise;
  promise.set_value(std::move(ready));
  future_ = promise.get_future().share();
}

}  // namespace dp::pypi
