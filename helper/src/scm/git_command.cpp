#include "scm/git_command.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "scm/git_version.hpp"
#include "text/text.hpp"

namespace dp::scm {

GitCommand::GitCommand(const std::filesystem::path& directory)
    : directory_(std::filesystem::absolute(directory).lexically_normal()) {
  if (!directory_.has_filename() && directory_.has_relative_path()) {
    directory_ = directory_.parent_path();  // "dir/." became "dir/"
  }
  if (process::find_executable("git").empty()) {
    throw ScmError(
        "git is not installed (not found in PATH); it is needed to read the version "
        "from git");
  }
}

process::Result GitCommand::run(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  process::Options options;
  options.cwd = directory_;
  options.environment = {{"LC_ALL", "C"}};
  options.capture_stdout = true;
  options.capture_stderr = true;
  try {
    return process::run(argv, options);
  } catch (const process::ProcessError& error) {
    throw ScmError(fmt::format("cannot run git in {}: {}", directory_.string(), error.what()));
  }
}

std::string GitCommand::output(const std::vector<std::string>& args) const {
  const auto result = run(args);
  if (!result.ok()) fail(args, result);
  return std::string(text::trim(result.out));
}

void GitCommand::fail(const std::vector<std::string>& args, const process::Result& result) const {
  auto message = text::trim(result.err);
  message = message.substr(0, message.find('\n'));
  if (message.empty()) message = fmt::format("exit status {}", result.status());
  throw ScmError(
      fmt::format("git {} failed in {}: {}", fmt::join(args, " "), directory_.string(), message));
}

}  // namespace dp::scm
