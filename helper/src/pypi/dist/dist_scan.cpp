#include "pypi/dist/dist_scan.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/core.h>
#include <openssl/evp.h>

#include <array>
#include <memory>
#include <optional>
#include <stdexcept>

#include "pypi/errors.hpp"

namespace dp::pypi {
namespace {

struct ArchiveReadFree {
  void operator()(archive* handle) const { archive_read_free(handle); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveReadFree>;

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

[[noreturn]] void fail(const std::filesystem::path& file, archive* handle) {
  const char* reason = archive_error_string(handle);
  throw DistributionError(fmt::format("{}: cannot read archive: {}", file.string(),
                                      reason != nullptr ? reason : "unknown error"));
}

ArchivePtr open_archive(const std::filesystem::path& file, ArchiveFormat format) {
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  if (error)
    throw DistributionError(fmt::format("{}: cannot read: {}", file.string(), error.message()));
  if (size == 0)
    throw DistributionError(fmt::format("{}: empty file, not an archive", file.string()));

  ArchivePtr handle{archive_read_new()};
  if (!handle) throw DistributionError(file.string() + ": cannot allocate an archive reader");
  if (format == ArchiveFormat::zip) {
    // The central directory is what pip and PyPI read; the streaming zip reader would accept a
    // zip cut short before it.
    archive_read_support_format_zip_seekable(handle.get());
  } else {
    archive_read_support_filter_gzip(handle.get());
    archive_read_support_format_tar(handle.get());
  }
  if (archive_read_open_filename(handle.get(), file.c_str(), 64 * 1024) != ARCHIVE_OK) {
    if (format == ArchiveFormat::zip) {
      throw DistributionError(fmt::format(
          "{}: cannot read archive: not a zip file, or a truncated one (no central directory)",
          file.string()));
    }
    fail(file, handle.get());
  }
  return handle;
}

class Sha256 {
 public:
  Sha256() {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) {
      throw std::runtime_error("OpenSSL cannot start a SHA-256 digest");
    }
  }
  void update(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(context_.get(), data, size) != 1) {
      throw std::runtime_error("OpenSSL SHA-256 digest update failed");
    }
  }
  std::string finish_base64() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest.data(), &size) != 1) {
      throw std::runtime_error("OpenSSL SHA-256 digest failed");
    }
    return urlsafe_base64_unpadded(digest.data(), size);
  }

 private:
  std::unique_ptr<EVP_MD_CTX, DigestContextFree> context_{EVP_MD_CTX_new()};
};

// Streams the current entry's data: hashes it, counts it, keeps it when asked.
void read_entry(const std::filesystem::path& file, archive* handle, ScannedEntry& entry,
                const ScanOptions& options, bool keep, DistScan& scan) {
  std::optional<Sha256> sha256;
  if (options.hash_files) sha256.emplace();
  std::string content;
  std::array<char, 64 * 1024> buffer{};
  while (true) {
    const la_ssize_t count = archive_read_data(handle, buffer.data(), buffer.size());
    if (count < 0) fail(file, handle);
    if (count == 0) break;
    const auto bytes = static_cast<std::size_t>(count);
    entry.size += bytes;
    if (sha256) sha256->update(buffer.data(), bytes);
    if (keep) {
      if (content.size() + bytes > options.max_kept_size) {
        throw DistributionError(fmt::format("{}: {} is larger than {} bytes", file.string(),
                                            entry.path, options.max_kept_size));
      }
      content.append(buffer.data(), bytes);
    }
  }
  if (sha256) entry.sha256 = sha256->finish_base64();
  if (keep) scan.kept.insert_or_assign(entry.path, std::move(content));
}

}  // namespace

std::string urlsafe_base64_unpadded(const unsigned char* data, std::size_t size) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string encoded;
  encoded.reserve((size + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const unsigned value = (data[i] << 16U) | (data[i + 1] << 8U) | data[i + 2];
    for (const int shift : {18, 12, 6, 0}) encoded += alphabet[(value >> shift) & 0x3fU];
  }
  if (size - i == 1) {
    const unsigned value = data[i] << 16U;
    for (const int shift : {18, 12}) encoded += alphabet[(value >> shift) & 0x3fU];
  } else if (size - i == 2) {
    const unsigned value = (data[i] << 16U) | (data[i + 1] << 8U);
    for (const int shift : {18, 12, 6}) encoded += alphabet[(value >> shift) & 0x3fU];
  }
  return encoded;
}

DistScan scan_archive(const std::filesystem::path& file, ArchiveFormat format,
                      const ScanOptions& options) {
  ArchivePtr handle = open_archive(file, format);
  DistScan scan;
  archive_entry* header = nullptr;
  while (true) {
    const int status = archive_read_next_header(handle.get(), &header);
    if (status == ARCHIVE_EOF) return scan;
    if (status < ARCHIVE_WARN) fail(file, handle.get());
    const char* raw_path = archive_entry_pathname(header);
    if (raw_path == nullptr) raw_path = archive_entry_pathname_utf8(header);
    std::string_view path = raw_path != nullptr ? raw_path : "";
    while (path.starts_with("./")) path.remove_prefix(2);

    ScannedEntry entry;
    entry.path = path;
    entry.is_regular_file = archive_entry_filetype(header) == AE_IFREG;
    if (entry.is_regular_file) {
      const bool keep = options.keep && options.keep(entry.path);
      if (options.hash_files || keep) read_entry(file, handle.get(), entry, options, keep, scan);
    }
    scan.entries.push_back(std::move(entry));
  }
}

}  // namespace dp::pypi
