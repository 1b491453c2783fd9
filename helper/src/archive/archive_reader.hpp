#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace dp::pypi {

enum class ArchiveFormat { zip, tar_gz };

// Streams through an archive's entries once. For each entry, `visit` gets its path (a leading
// "./" removed) and whether it is a regular file; returning true asks for its content, which
// `read_content` then receives (at most `max_content_size` bytes, else DistributionError).
struct ArchiveVisitor {
  std::function<bool(std::string_view path, bool is_regular_file)> visit;
  std::function<void(std::string_view path, std::string content)> read_content;
};

// Throws DistributionError (naming the file and libarchive's reason) when unreadable.
void read_archive(const std::filesystem::path& file, ArchiveFormat format,
                  const ArchiveVisitor& visitor, std::size_t max_content_size = 16 << 20);

}  // namespace dp::pypi
