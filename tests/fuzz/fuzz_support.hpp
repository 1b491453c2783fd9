// What the fuzz targets share: the input as text, a check that holds in release builds, and the
// rule every parser of outside input keeps: nothing escapes it but a UserError (a message for the
// user), and nothing else (InternalError, std::logic_error, std::bad_alloc, ...) is acceptable.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include "core/errors.hpp"

namespace dp::fuzz {

inline std::string_view current_input;

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  current_input = {reinterpret_cast<const char*>(data), size};
  return current_input;
}

// Not assert(): the checks must hold in release builds too.
inline void check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz check failed: %s\ninput (%zu bytes):", what, current_input.size());
  for (const unsigned char c : current_input) std::fprintf(stderr, " %02x", c);
  std::fprintf(stderr, "\n");
  std::abort();
}

// Runs `parse`; true when it returned, false when it refused the input with a UserError.
template <typename Parse>
bool accepts(Parse&& parse) {
  try {
    parse();
    return true;
  } catch (const UserError&) {
    return false;
  }
}

// A folder of this process's own, removed at exit, for the parsers that read a file rather than
// text: in /dev/shm where there is one (a file per input on a disk shared with builds made the
// replays' times vary tenfold), else under the temporary directory.
class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> count{0};
    std::error_code error;
    const std::filesystem::path shm{"/dev/shm"};
    const auto parent =
        std::filesystem::is_directory(shm, error) && ::access(shm.c_str(), W_OK) == 0
            ? shm
            : std::filesystem::temp_directory_path();
    path_ = parent / ("dp-fuzz-" + std::to_string(::getpid()) + "-" + std::to_string(count++));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `content` to <dir>/<name> and returns that path.
  std::filesystem::path write(const std::string& name, std::string_view content) const {
    const auto file = path_ / name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    check(static_cast<bool>(out), "cannot write the input to a scratch file");
    return file;
  }

 private:
  std::filesystem::path path_;
};

// The scratch folder of the process: one, so that a million inputs do not make a million folders.
inline const ScratchDir& scratch() {
  static const ScratchDir dir;
  return dir;
}

}  // namespace dp::fuzz
