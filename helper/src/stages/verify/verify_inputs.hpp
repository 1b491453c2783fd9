#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

// What decides a verify run's outcome, so that an unchanged one is not run again.
namespace dp::stages {

struct VerifyInputs {
  std::string image_id;
  std::vector<std::pair<std::string, std::string>> dists;  // file name, sha256
  std::vector<std::string> installs;                       // the dists installed, in order
  std::string files;                                       // tree_digest() of VERIFY_FILES
  std::string wheelhouse;                                  // tree_digest() of WHEELHOUSE
  std::vector<std::string> command;
  std::vector<std::pair<std::string, std::string>> env;  // TEST_ENV; values enter only hashed
  std::vector<std::string> artifacts;
};

// SHA-256 (hex) of an unambiguous encoding of the inputs.
std::string verify_digest(const VerifyInputs& inputs);

// SHA-256 (hex) of every file below `paths` (relative to `base`; files or folders): each one's
// path relative to `base`, whether it is executable, and its content; symbolic links by target.
// Throws text::FileError naming a path that does not exist.
std::string tree_digest(const std::filesystem::path& base,
                        const std::vector<std::filesystem::path>& paths);

}  // namespace dp::stages
