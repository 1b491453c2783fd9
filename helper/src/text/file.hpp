#pragma once

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/errors.hpp"

namespace dp::text {

// The whole content of a file, byte for byte; nothing when it cannot be opened or read, or is a
// folder, with errno saying why (the caller says what that means where it happens).
inline std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    errno = EISDIR;
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(content).str();
}

// A file that could not be read or written; the message names it and says why.
class FileError : public UserError {
 public:
  using UserError::UserError;
};

// Writes `content` to a temporary file beside `path`, flushes it to disk and renames it over
// `path`, so that a reader, or the next run after a crash, sees the old or the new content, never
// a part. An existing file keeps its mode (and its owner, where allowed), and a symlink is
// followed and its target rewritten; a new file gets 0666 less the umask, its folders created.
// Throws FileError; no temporary file is left behind.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Renames a finished file (or folder) to `to` on the same file system, replacing what is there in
// one step: a reader sees the old or the new one, never a part. Throws FileError.
void move_into_place(const std::filesystem::path& from, const std::filesystem::path& to);

// write_file_atomically, unless the file already holds `content`; returns whether it wrote.
bool write_file_if_changed(const std::filesystem::path& path, std::string_view content);

}  // namespace dp::text
