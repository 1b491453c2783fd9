#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "process/process.hpp"

namespace dp::process {

// git could not be run, or a command that had to succeed failed.
class GitError : public UserError {
 public:
  using UserError::UserError;
};

// The helper's one way to run git: in one directory, output captured, in the C locale so its
// messages can be read, with a timeout, and always with --no-optional-locks, so that reading a
// repository someone is working in (status, describe --dirty) neither takes its index lock nor
// rewrites its index.
class Git {
 public:
  static constexpr std::chrono::seconds default_timeout{60};

  // Messages name the directory as an absolute path.
  explicit Git(const std::filesystem::path& directory,
               std::chrono::milliseconds timeout = default_timeout);

  // Whether git is in PATH.
  static bool installed();

  // Throws GitError when git cannot be started.
  Result run(const std::vector<std::string>& args) const;
  // stdout of a command that must succeed, trimmed; throws GitError with git's message otherwise.
  std::string output(const std::vector<std::string>& args) const;
  // output(), or nothing when git is missing or the command fails: for facts that are optional.
  std::optional<std::string> try_output(const std::vector<std::string>& args) const;
  // "git <args> failed in <directory>: <git's first error line>".
  [[noreturn]] void fail(const std::vector<std::string>& args, const Result& result) const;

  const std::filesystem::path& directory() const { return directory_; }

 private:
  std::filesystem::path directory_;
  std::chrono::milliseconds timeout_;
};

}  // namespace dp::process
