#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "pypi/upload/uploader.hpp"

namespace dp::pypi {

// "512 B", "12.3 KB", "4.5 MB", "1.2 GB" (binary multiples).
std::string human_size(std::uintmax_t bytes);

// "uploaded <file> (<size>, <seconds> s, <rate>/s)", the rate counting the bytes sent.
std::string result_line(std::string_view file, const UploadResult& result);

// Upload output shared by worker threads: whole lines never interleave, and on a terminal one
// progress bar line is redrawn with '\r' (the file that moved last) and cleared before a
// result line is printed.
class UploadConsole {
 public:
  UploadConsole(std::FILE* stream, bool progress_bars);

  void line(std::string_view text);
  void progress(std::string_view file, std::uintmax_t sent, std::uintmax_t total);
  bool draws_progress() const { return progress_bars_; }

 private:
  void clear_bar();

  std::FILE* stream_;
  bool progress_bars_;
  std::mutex mutex_;
  bool bar_shown_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace dp::pypi
