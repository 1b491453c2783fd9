#include "scm/git_version.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "process/git.hpp"
#include "scm/describe.hpp"
#include "scm/next_version.hpp"
#include "scm/tag_pattern.hpp"

namespace dp::scm {
namespace {

namespace fs = std::filesystem;
using process::Git;

std::chrono::sys_days default_today() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr) {
    const std::string_view text = epoch;
    long long seconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
      throw ScmError(fmt::format("SOURCE_DATE_EPOCH='{}' is not a number of seconds", text));
    }
    return std::chrono::floor<std::chrono::days>(
        std::chrono::sys_seconds{std::chrono::seconds{seconds}});
  }
  return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
}

void require_work_tree(const Git& git) {
  const std::vector<std::string> args{"rev-parse", "--is-inside-work-tree"};
  const auto result = git.run(args);
  if (result.ok() && result.out.starts_with("true")) return;
  if (result.ok() || result.err.find("not a git repository") != std::string::npos) {
    throw ScmError(fmt::format("{} is not in a git work tree, so it has no version from git",
                               git.directory().string()));
  }
  git.fail(args, result);
}

void require_commit(const Git& git) {
  if (!git.run({"rev-parse", "--verify", "--quiet", "HEAD^{commit}"}).ok()) {
    throw ScmError(fmt::format(
        "the git repository at {} has no commit yet (HEAD is unborn); commit, then tag a version "
        "(git tag v0.1.0)",
        git.directory().string()));
  }
}

bool is_no_tag_message(const std::string& err) {
  return err.find("No names found") != std::string::npos ||
         err.find("No tags can describe") != std::string::npos;
}

std::string skipped_note(const std::vector<std::string>& skipped) {
  if (skipped.empty()) return {};
  constexpr std::size_t kShown = 5;
  const std::vector<std::string> shown(skipped.begin(),
                                       skipped.begin() + std::min(skipped.size(), kShown));
  return fmt::format(
      " (tags skipped as not versions: {}{})", fmt::join(shown, ", "),
      skipped.size() > kShown ? fmt::format(" and {} more", skipped.size() - kShown) : "");
}

[[noreturn]] void no_version_tag(const Git& git, const TagPattern& pattern,
                                 const std::vector<std::string>& skipped) {
  const auto where = git.directory().string();
  const auto note = skipped_note(skipped);
  if (git.output({"rev-parse", "--is-shallow-repository"}) == "true") {
    throw ScmError(fmt::format(
        "no version tag in the history of {}, which is a shallow clone: fetch the whole history "
        "with git fetch --unshallow (actions/checkout: fetch-depth: 0){}",
        where, note));
  }
  if (pattern.is_default()) {
    throw ScmError(fmt::format(
        "no version tag in the history of {}: tag one (git tag v0.1.0), or pass --tag-regex for "
        "tags of another style{}",
        where, note));
  }
  throw ScmError(fmt::format(
      "no tag in the history of {} matches the tag regex '{}' with a version: tag one, or fix "
      "the regex{}",
      where, pattern.source(), note));
}

// The nearest tag that holds a version. Tags that do not are excluded one by one, so git finds the
// next nearest; git's tag names cannot hold glob characters, so --exclude takes them as they are.
ScmState nearest_version_tag(const Git& git, const TagPattern& pattern) {
  std::vector<std::string> skipped;
  for (;;) {
    std::vector<std::string> args{"describe",    "--tags",  "--long", "--dirty",
                                  "--abbrev=40", "--match", "*[0-9]*"};
    for (const auto& tag : skipped) {
      args.push_back("--exclude");
      args.push_back(tag);
    }
    const auto result = git.run(args);
    if (!result.ok()) {
      if (is_no_tag_message(result.err)) no_version_tag(git, pattern, skipped);
      git.fail(args, result);
    }
    const auto description = parse_describe(result.out);
    if (!description) {
      throw ScmError(fmt::format("unexpected output of git describe in {}: '{}'",
                                 git.directory().string(), result.out));
    }
    if (auto version = pattern.version_of(description->tag)) {
      return {std::move(*version), description->distance, description->node, description->dirty};
    }
    skipped.push_back(description->tag);
  }
}

}  // namespace

std::string version_from_git(const GitVersionOptions& options) {
  const TagPattern pattern(options.tag_regex);
  const auto directory = options.directory.empty() ? fs::path(".") : options.directory;
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    throw ScmError(
        fmt::format("{} is not a directory, so it has no version from git", directory.string()));
  }
  if (!Git::installed()) {
    throw ScmError(
        "git is not installed (not found in PATH); it is needed to read the version "
        "from git");
  }
  const ScmState state = [&] {
    try {
      const Git git(directory);
      require_work_tree(git);
      require_commit(git);
      return nearest_version_tag(git, pattern);
    } catch (const process::GitError& error) {
      throw ScmError(error.what());  // git's own failure, told as this component's
    }
  }();
  return version::to_string(
      scm_version(state, options.local, options.today ? *options.today : default_today()));
}

}  // namespace dp::scm
