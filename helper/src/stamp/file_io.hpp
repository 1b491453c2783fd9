#pragma once

#include <filesystem>
#include <string>
#include <string_view>

// Whole-file reads and crash-safe rewrites; errors are StampError naming the file.
namespace dp::stamp {

std::string read_file(const std::filesystem::path& path);

// Replaces the file's content through a temporary file in the same directory renamed over it, so
// readers see the old or the new content, never a mix. Keeps the mode (and the owner, where
// allowed); a symlink is followed and its target rewritten.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace dp::stamp
