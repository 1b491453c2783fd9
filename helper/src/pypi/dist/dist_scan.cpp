#include "pypi/dist/dist_scan.hpp"

#include <fmt/core.h>

#include <array>
#include <optional>

#include "digest/digest.hpp"
#include "pypi/errors.hpp"

namespace dp::pypi {
namespace {

// Streams the current entry's data: hashes it, counts it, keeps it when asked.
void read_entry(archive::Reader& reader, ScannedEntry& entry, const ScanOptions& options, bool keep,
                DistScan& scan) {
  std::optional<digest::Hasher> sha256;
  if (options.hash_files) sha256.emplace(digest::Algorithm::sha256);
  std::string content;
  std::array<char, 64 * 1024> buffer{};
  while (const std::size_t bytes = reader.read(buffer)) {
    entry.size += bytes;
    if (sha256) sha256->update(std::string_view{buffer.data(), bytes});
    if (keep) {
      if (content.size() + bytes > options.max_kept_size) {
        throw DistributionError(fmt::format("{}: {} is larger than {} bytes",
                                            reader.file().string(), entry.path,
                                            options.max_kept_size));
      }
      content.append(buffer.data(), bytes);
    }
  }
  if (sha256) entry.sha256 = sha256->urlsafe_base64();
  if (keep) scan.kept.insert_or_assign(entry.path, std::move(content));
}

}  // namespace

DistScan scan_archive(const std::filesystem::path& file, archive::Format format,
                      const ScanOptions& options) {
  try {
    archive::Reader reader{file, format};
    DistScan scan;
    while (auto header = reader.next()) {
      ScannedEntry entry;
      entry.path = std::move(header->path);
      entry.is_regular_file = header->is_regular_file;
      if (entry.is_regular_file) {
        const bool keep = options.keep && options.keep(entry.path);
        if (options.hash_files || keep) read_entry(reader, entry, options, keep, scan);
      }
      scan.entries.push_back(std::move(entry));
    }
    return scan;
  } catch (const archive::ArchiveError& error) {
    throw DistributionError(error.what());  // an unreadable dist: the same message
  }
}

}  // namespace dp::pypi
