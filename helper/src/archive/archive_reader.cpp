#include "archive/archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/core.h>

#include <system_error>

namespace dp::archive {

void Reader::Free::operator()(::archive* handle) const {
  archive_read_free(handle);
}

Reader::Reader(const std::filesystem::path& file, Format format) : file_(file) {
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  if (error) throw ArchiveError(fmt::format("{}: cannot read: {}", file.string(), error.message()));
  if (size == 0) throw ArchiveError(fmt::format("{}: empty file, not an archive", file.string()));

  handle_.reset(archive_read_new());
  if (!handle_) throw ArchiveError(file.string() + ": cannot allocate an archive reader");
  if (format == Format::zip) {
    // The central directory is what pip and PyPI read; the streaming zip reader would accept a
    // zip cut short before it.
    archive_read_support_format_zip_seekable(handle_.get());
  } else {
    archive_read_support_filter_gzip(handle_.get());
    archive_read_support_format_tar(handle_.get());
  }
  // A block size large enough for zip's seekable reader, which needs the central directory.
  if (archive_read_open_filename(handle_.get(), file.c_str(), 64 * 1024) != ARCHIVE_OK) {
    if (format == Format::zip) {
      throw ArchiveError(fmt::format(
          "{}: cannot read archive: not a zip file, or a truncated one (no central directory)",
          file.string()));
    }
    fail();
  }
}

Reader::~Reader() = default;

void Reader::fail() const {
  const char* reason = archive_error_string(handle_.get());
  throw ArchiveError(fmt::format("{}: cannot read archive: {}", file_.string(),
                                 reason != nullptr ? reason : "unknown error"));
}

std::optional<Reader::Entry> Reader::next() {
  archive_entry* header = nullptr;
  const int status = archive_read_next_header(handle_.get(), &header);
  if (status == ARCHIVE_EOF) return std::nullopt;
  if (status < ARCHIVE_WARN) fail();
  const char* raw_path = archive_entry_pathname(header);
  if (raw_path == nullptr) raw_path = archive_entry_pathname_utf8(header);
  std::string_view path = raw_path != nullptr ? raw_path : "";
  while (path.starts_with("./")) path.remove_prefix(2);
  const char* symlink = archive_entry_symlink(header);
  const char* hardlink = archive_entry_hardlink(header);
  return Entry{std::string{path}, archive_entry_filetype(header) == AE_IFREG,
               symlink != nullptr ? symlink : "", hardlink != nullptr ? hardlink : ""};
}

std::size_t Reader::read(std::span<char> buffer) {
  const la_ssize_t count = archive_read_data(handle_.get(), buffer.data(), buffer.size());
  if (count < 0) fail();
  return static_cast<std::size_t>(count);
}

}  // namespace dp::archive
