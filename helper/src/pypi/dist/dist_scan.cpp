#include "pypi/dist/dist_scan.hpp"

#include <fmt/core.h>

#include <algorithm>
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

// Does `relative`, taken from folder `base` ("" for the archive's root), stay inside the root?
bool stays_inside(std::string_view base, std::string_view relative) {
  int depth = 0;
  for (const auto part : {base, relative}) {
    for (std::size_t start = 0; start <= part.size();) {
      const auto end = std::min(part.find('/', start), part.size());
      const auto name = part.substr(start, end - start);
      if (name == "..") {
        if (--depth < 0) return false;
      } else if (!name.empty() && name != ".") {
        ++depth;
      }
      start = end + 1;
    }
  }
  return true;
}

// Why the member would be written outside the folder the archive is extracted to, if it would:
// what pip's unpacking and tarfile's "data" filter refuse.
std::optional<std::string> escape_of(const archive::Reader::Entry& entry) {
  const auto slash = entry.path.rfind('/');
  const std::string_view folder = slash == std::string::npos
                                      ? std::string_view{}
                                      : std::string_view{entry.path}.substr(0, slash);
  if (entry.path.starts_with('/')) return "an absolute path";
  if (!stays_inside("", entry.path)) return "a '..' path, outside the folder it is extracted to";
  if (entry.symlink.starts_with('/')) {
    return fmt::format("a symbolic link to the absolute path '{}'", entry.symlink);
  }
  if (!entry.symlink.empty() && !stays_inside(folder, entry.symlink)) {
    return fmt::format("a symbolic link to '{}', outside the folder it is extracted to",
                       entry.symlink);
  }
  if (entry.hardlink.starts_with('/') || !stays_inside("", entry.hardlink)) {
    return fmt::format("a hard link to '{}', outside the folder it is extracted to",
                       entry.hardlink);
  }
  return std::nullopt;
}

}  // namespace

DistScan scan_archive(const std::filesystem::path& file, archive::Format format,
                      const ScanOptions& options) {
  try {
    archive::Reader reader{file, format};
    DistScan scan;
    while (auto header = reader.next()) {
      if (const auto escape = escape_of(*header)) {
        throw DistributionError(
            fmt::format("{}: member '{}' is {}; pip refuses to unpack such an archive",
                        file.string(), header->path, *escape));
      }
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
