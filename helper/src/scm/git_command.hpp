#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "process/process.hpp"

namespace dp::scm {

// Runs git in one directory, its output captured and in the C locale so messages can be read.
class GitCommand {
 public:
  // Throws ScmError when git is not installed. Messages name the directory as an absolute path.
  explicit GitCommand(const std::filesystem::path& directory);

  process::Result run(const std::vector<std::string>& args) const;
  // stdout of a command that must succeed, trimmed; throws ScmError with git's message otherwise.
  std::string output(const std::vector<std::string>& args) const;
  // "git <args> failed in <directory>: <git's first error line>".
  [[noreturn]] void fail(const std::vector<std::string>& args, const process::Result& result) const;

  const std::filesystem::path& directory() const { return directory_; }

 private:
  std::filesystem::path directory_;
};

}  // namespace dp::scm
