#include "process/git.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "text/text.hpp"

namespace dp::process {

Git::Git(const std::filesystem::path& directory, std::chrono::milliseconds timeout)
    : directory_(std::filesystem::absolute(directory).lexically_normal()), timeout_(timeout) {
  if (!directory_.has_filename() && directory_.has_relative_path()) {
    directory_ = directory_.parent_path();  // "dir/." became "dir/"
  }
}

bool Git::installed() {
  return !find_executable("git").empty();
}

Result Git::run(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"git", "--no-optional-locks"};
  argv.insert(argv.end(), args.begin(), args.end());
  Options options;
  options.cwd = directory_;
  options.environment = {{"LC_ALL", "C"}};
  options.capture_stdout = true;
  options.capture_stderr = true;
  options.timeout = timeout_;
  try {
    return process::run(argv, options);
  } catch (const ProcessError& error) {
    throw GitError(fmt::format("cannot run git in {}: {}", directory_.string(), error.what()));
  }
}

std::string Git::output(const std::vector<std::string>& args) const {
  const auto result = run(args);
  if (!result.ok()) fail(args, result);
  return std::string(text::trim(result.out));
}

std::optional<std::string> Git::try_output(const std::vector<std::string>& args) const {
  try {
    const auto result = run(args);
    if (!result.ok()) return std::nullopt;
    return std::string(text::trim(result.out));
  } catch (const GitError&) {
    return std::nullopt;  // no git
  }
}

void Git::fail(const std::vector<std::string>& args, const Result& result) const {
  auto message = text::trim(result.err);
  message = message.substr(0, message.find('\n'));
  if (result.timed_out) {
    message =
        fmt::format("no answer within {:g} s", std::chrono::duration<double>(timeout_).count());
  } else if (message.empty()) {
    message = fmt::format("exit status {}", result.status());
  }
  throw GitError(
      fmt::format("git {} failed in {}: {}", fmt::join(args, " "), directory_.string(), message));
}

}  // namespace dp::process
