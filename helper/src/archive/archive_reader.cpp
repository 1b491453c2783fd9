#include "archive/archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/core.h>

#include <memory>

#include "pypi/errors.hpp"

namespace dp::pypi {
namespace {

struct ArchiveReadFree {
  void operator()(archive* handle) const { archive_read_free(handle); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveReadFree>;

[[noreturn]] void fail(const std::filesystem::path& file, archive* handle) {
  const char* reason = archive_error_string(handle);
  throw DistributionError(fmt::format("{}: cannot read archive: {}", file.string(),
                                      reason != nullptr ? reason : "unknown error"));
}

ArchivePtr open_archive(const std::filesystem::path& file, ArchiveFormat format) {
  ArchivePtr handle{archive_read_new()};
  if (!handle) throw DistributionError(file.string() + ": cannot allocate an archive reader");
  if (format == ArchiveFormat::zip) {
    archive_read_support_format_zip(handle.get());
  } else {
    archive_read_support_filter_gzip(handle.get());
    archive_read_support_format_tar(handle.get());
  }
  // A block size large enough for zip's seekable reader, which needs the central directory.
  if (archive_read_open_filename(handle.get(), file.c_str(), 64 * 1024) != ARCHIVE_OK) {
    fail(file, handle.get());
  }
  return handle;
}

std::string read_entry(const std::filesystem::path& file, archive* handle, std::string_view path,
                       std::size_t max_size) {
  std::string content;
  char buffer[16 * 1024];
  while (true) {
    const la_ssize_t count = archive_read_data(handle, buffer, sizeof buffer);
    if (count < 0) fail(file, handle);
    if (count == 0) return content;
    if (content.size() + static_cast<std::size_t>(count) > max_size) {
      throw DistributionError(
          fmt::format("{}: {} is larger than {} bytes", file.string(), path, max_size));
    }
    content.append(buffer, static_cast<std::size_t>(count));
  }
}

}  // namespace

void read_archive(const std::filesystem::path& file, ArchiveFormat format,
                  const ArchiveVisitor& visitor, std::size_t max_content_size) {
  ArchivePtr handle = open_archive(file, format);
  archive_entry* entry = nullptr;
  while (true) {
    const int status = archive_read_next_header(handle.get(), &entry);
    if (status == ARCHIVE_EOF) return;
    if (status < ARCHIVE_WARN) fail(file, handle.get());
    const char* raw_path = archive_entry_pathname(entry);
    if (raw_path == nullptr) raw_path = archive_entry_pathname_utf8(entry);
    std::string_view path = raw_path != nullptr ? raw_path : "";
    while (path.starts_with("./")) path.remove_prefix(2);
    const bool is_regular_file = archive_entry_filetype(entry) == AE_IFREG;
    if (visitor.visit(path, is_regular_file)) {
      std::string owned_path{path};
      visitor.read_content(owned_path,
                           read_entry(file, handle.get(), owned_path, max_content_size));
    }
  }
}

}  // namespace dp::pypi
