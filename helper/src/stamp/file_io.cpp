#include "stamp/file_io.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>

#include "stamp/stamp.hpp"
#include "text/file.hpp"

namespace dp::stamp {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(std::string_view action, const fs::path& path, int error) {
  throw StampError(fmt::format("cannot {} {}: {}", action, path.string(), std::strerror(error)));
}

}  // namespace

std::string read_file(const fs::path& path) {
  auto content = text::read_file(path);
  if (!content) fail("read", path, errno);
  return std::move(*content);
}

void write_file_atomically(const fs::path& path, std::string_view content) {
  // A stamp rewrites what is there; it never creates a file.
  std::error_code error;
  if (!fs::exists(path, error)) fail("write", path, error ? error.value() : ENOENT);
  try {
    text::write_file_atomically(path, content);
  } catch (const text::FileError& e) {
    throw StampError(e.what());
  }
}

}  // namespace dp::stamp
