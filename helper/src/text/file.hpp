#pragma once

#include <fmt/core.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace dp::text {

// The whole content of a file, byte for byte; nothing when it cannot be opened or read, or is a
// folder (the caller says what that means where it happens).
inline std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(content).str();
}

// Writes `content` to a temporary file beside `path` (parent folders created) and renames it over
// `path`, so that a reader, or the next run after a crash, sees the old or the new content, never
// a part. The temporary file is removed on failure; throws std::runtime_error naming the file.
inline void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  const auto temporary = std::filesystem::path(path).concat(fmt::format(".tmp-{}", ::getpid()));
  std::error_code error;
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out.write(content.data(), static_cast<std::streamsize>(content.size())).flush()) {
      error = std::make_error_code(std::errc::io_error);
    }
  }
  if (!error) std::filesystem::rename(temporary, path, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), error.message()));
  }
}

// write_file_atomically, unless the file already holds `content`; returns whether it wrote.
inline bool write_file_if_changed(const std::filesystem::path& path, std::string_view content) {
  if (read_file(path) == content) return false;
  write_file_atomically(path, content);
  return true;
}

}  // namespace dp::text
