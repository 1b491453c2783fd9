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

}  // namespace dp::pypi
