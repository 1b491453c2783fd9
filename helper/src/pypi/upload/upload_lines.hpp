#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pypi/upload/uploader.hpp"

// How upload's output writes sizes and outcomes.
namespace dp::pypi {

// "512 B", "12.3 KB", "4.5 MB", "1.2 GB" (binary multiples).
std::string human_size(std::uintmax_t bytes);

// "uploaded <file> (<size>, <seconds> s, <rate>/s)", the rate counting the bytes sent.
std::string result_line(std::string_view file, const UploadResult& result);

// "<file, cut at 40> [#######       ]  45% 1.2 MB / 2.7 MB": a progress bar's one line.
std::string progress_line(std::string_view file, std::uintmax_t sent, std::uintmax_t total);

}  // namespace dp::pypi
