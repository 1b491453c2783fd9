#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "archive/archive_reader.hpp"

namespace dp::pypi {

// One member of an archive as `check` saw it.
struct ScannedEntry {
  std::string path;  // a leading "./" removed; directories may end in '/'
  bool is_regular_file = false;
  std::uintmax_t size = 0;  // bytes actually read (regular files)
  std::string sha256;       // urlsafe base64 without padding (PEP 427); empty when not hashed
};

struct DistScan {
  std::vector<ScannedEntry> entries;                     // archive order, duplicates kept
  std::map<std::string, std::string, std::less<>> kept;  // content of the files asked for
};

struct ScanOptions {
  bool hash_files = false;                     // sha256 of every regular file
  std::function<bool(std::string_view)> keep;  // whose content to keep (small text files)
  std::size_t max_kept_size = 16 << 20;
};

// Reads every entry of the archive once (archive::Reader), streaming: memory stays constant
// whatever the sizes, except for the kept files. A zip is read through its central directory, so
// a truncated zip is an error rather than a shorter archive, and so is a member that extracting
// would write outside the target folder (an absolute or '..' path, a link pointing out of it).
// Throws DistributionError naming the file and the reason.
DistScan scan_archive(const std::filesystem::path& file, archive::Format format,
                      const ScanOptions& options);

}  // namespace dp::pypi
