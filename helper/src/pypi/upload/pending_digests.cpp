#include "pypi/upload/pending_digests.hpp"

namespace dp::pypi {

PendingDigests::PendingDigests(const std::filesystem::path& file)
    : future_(std::async(std::launch::async, digest::compute_file_digests, file).share()) {}

}  // namespace dp::pypi
