#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/errors.hpp"

struct archive;  // libarchive's handle

// The helper's one archive reader (libarchive): the dists' members are read through it.
namespace dp::archive {

// An archive that cannot be read; the message names the file and the reason.
class ArchiveError : public UserError {
 public:
  using UserError::UserError;
};

enum class Format { zip, tar_gz };

// One streaming pass over an archive's entries: memory stays constant whatever their sizes. A
// zip is read through its central directory, as pip and PyPI read it, so a truncated zip is an
// error rather than a shorter archive. Every method throws ArchiveError.
class Reader {
 public:
  struct Entry {
    std::string path;  // a leading "./" removed; directories may end in '/'
    bool is_regular_file = false;
    std::string symlink;   // a symbolic link's target, as written
    std::string hardlink;  // a hard link's target: another member's path
  };

  Reader(const std::filesystem::path& file, Format format);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // The next entry's header; nothing at the end of the archive.
  std::optional<Entry> next();
  // Fills `buffer` with the next part of the current entry's content; 0 at its end.
  std::size_t read(std::span<char> buffer);

  const std::filesystem::path& file() const { return file_; }

 private:
  struct Free {
    void operator()(::archive* handle) const;
  };
  [[noreturn]] void fail() const;

  std::filesystem::path file_;
  std::unique_ptr<::archive, Free> handle_;
};

}  // namespace dp::archive
