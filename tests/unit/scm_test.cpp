#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "process/process.hpp"
#include "scm/describe.hpp"
#include "scm/git_version.hpp"
#include "scm/next_version.hpp"
#include "scm/tag_pattern.hpp"
#include "support/temp_dir.hpp"
#include "version/pep440.hpp"

namespace dp::scm {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::chrono::sys_days kToday{std::chrono::year{2026} / 11 / 25};
const std::string kNode = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";

// Sets an environment variable for one scope, then restores what was there.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = ::getenv(name_.c_str())) old_ = old;
    set(value);
  }
  ~ScopedEnv() { set(old_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  void set(const std::optional<std::string>& value) {
    if (value) {
      ::setenv(name_.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  std::string name_;
  std::optional<std::string> old_;
};

// The git the library runs inherits this environment: no user or system configuration, and no
// repository above the temporary folders.
class HermeticGit : public ::testing::Environment {
 public:
  void SetUp() override {
    ::setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
    ::setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    ::setenv("GIT_CEILING_DIRECTORIES", fs::temp_directory_path().c_str(), 1);
    ::unsetenv("SOURCE_DATE_EPOCH");
  }
};
[[maybe_unused]] const auto* const kHermeticGit =
    ::testing::AddGlobalTestEnvironment(new HermeticGit);

std::string next(std::string_view tag) {
  return version::to_string(guess_next_version(version::parse(tag)));
}

std::string scm(std::string_view tag, std::uint64_t distance, bool dirty, bool local = true) {
  return version::to_string(
      scm_version({version::parse(tag), distance, kNode, dirty}, local, kToday));
}

// --- next version (pure) -----------------------------------------------------------------------

TEST(scm, GuessNextVersionBumpsTheLastNumber) {
  EXPECT_EQ(next("1.2.3"), "1.2.4");
  EXPECT_EQ(next("7"), "8");
  EXPECT_EQ(next("1.9"), "1.10");
  EXPECT_EQ(next("1.0rc1"), "1.0rc2");
  EXPECT_EQ(next("1.0a0"), "1.0a1");
  EXPECT_EQ(next("6.0-beta.2"), "6.0b3");
  EXPECT_EQ(next("1.0.post1"), "1.0.post2");
  EXPECT_EQ(next("1.0rc1.post1"), "1.0rc1.post2");
  EXPECT_EQ(next("1!2.0"), "1!2.1");
  EXPECT_EQ(next("1.0+build.7"), "1.1");
}

TEST(scm, GuessNextVersionDropsDev0) {
  EXPECT_EQ(next("2.0.dev0"), "2.0");
  EXPECT_EQ(next("1.0rc1.dev0"), "1.0rc1");
  EXPECT_EQ(next("1.0.post1.dev0"), "1.0.post1");
}

TEST(scm, GuessNextVersionRefusesOtherDevNumbers) {
  try {
    next("2.0.dev3");
    FAIL() << "no error";
  } catch (const ScmError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("2.0.dev3"), HasSubstr("tag 2.0.dev0 instead")));
  }
}

TEST(scm, VersionOnTheTagIsTheTag) {
  EXPECT_EQ(scm("1.2.3", 0, false), "1.2.3");
  EXPECT_EQ(scm("v1.2.3", 0, false), "1.2.3");
  EXPECT_EQ(scm("2.0.dev3", 0, false), "2.0.dev3");
  EXPECT_EQ(scm("3.0+build.1", 0, false), "3.0+build.1");
}

TEST(scm, VersionPastTheTagIsTheNextDevRelease) {
  EXPECT_EQ(scm("1.2.3", 4, false), "1.2.4.dev4+g1a2b3c4d5");
  EXPECT_EQ(scm("1.0rc1", 2, false), "1.0rc2.dev2+g1a2b3c4d5");
  EXPECT_EQ(scm("2.0.dev0", 1, false), "2.0.dev1+g1a2b3c4d5");
  EXPECT_EQ(scm("2.0.post1", 1, false), "2.0.post2.dev1+g1a2b3c4d5");
  EXPECT_EQ(scm("1!5.0", 1, false), "1!5.1.dev1+g1a2b3c4d5");
}

TEST(scm, DirtyAddsTheDate) {
  EXPECT_EQ(scm("1.2.3", 4, true), "1.2.4.dev4+g1a2b3c4d5.d20261125");
  EXPECT_EQ(scm("1.2.3", 0, true), "1.2.4.dev0+g1a2b3c4d5.d20261125");
}

TEST(scm, TagLocalPartComesFirstAndIsNotRepeated) {
  EXPECT_EQ(scm("3.0+build.1", 1, false), "3.1.dev1+build.1.g1a2b3c4d5");
  EXPECT_EQ(scm("3.0+g1a2b3c4d5", 1, true), "3.1.dev1+g1a2b3c4d5.d20261125");
}

TEST(scm, NoLocalDropsTheWholeLocalPart) {
  EXPECT_EQ(scm("1.2.3", 4, true, false), "1.2.4.dev4");
  EXPECT_EQ(scm("1.2.3", 0, true, false), "1.2.4.dev0");
  EXPECT_EQ(scm("3.0+build.1", 0, false, false), "3.0");
}

// --- describe output (pure) --------------------------------------------------------------------

TEST(scm, ParseDescribe) {
  const auto plain = parse_describe("v1.5.0-0-g4060507\n");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->tag, "v1.5.0");
  EXPECT_EQ(plain->distance, 0u);
  EXPECT_EQ(plain->node, "4060507");
  EXPECT_FALSE(plain->dirty);

  const auto dashed = parse_describe("llvmorg-23.1.0-rc2-37-g9bd1298-dirty");
  ASSERT_TRUE(dashed);
  EXPECT_EQ(dashed->tag, "llvmorg-23.1.0-rc2");
  EXPECT_EQ(dashed->distance, 37u);
  EXPECT_EQ(dashed->node, "9bd1298");
  EXPECT_TRUE(dashed->dirty);
}

TEST(scm, ParseDescribeRejectsOtherShapes) {
  EXPECT_FALSE(parse_describe(""));
  EXPECT_FALSE(parse_describe("v1.0"));
  EXPECT_FALSE(parse_describe("v1.0-dirty"));
  EXPECT_FALSE(parse_describe("v1.0-x-g123"));
  EXPECT_FALSE(parse_describe("v1.0-3-gXYZ"));
  EXPECT_FALSE(parse_describe("-3-g123"));
}

// --- tag regex (pure) --------------------------------------------------------------------------

std::optional<std::string> tag_version(std::string_view regex, std::string_view tag) {
  const auto version = TagPattern(regex).version_of(tag);
  if (!version) return std::nullopt;
  return version::to_string(*version);
}

TEST(scm, DefaultTagRegex) {
  EXPECT_EQ(tag_version("", "v1.2.3"), "1.2.3");
  EXPECT_EQ(tag_version("", "1.0rc1"), "1.0rc1");
  EXPECT_EQ(tag_version("", "V7"), "7");
  EXPECT_EQ(tag_version("", "foo-4.0"), "4.0");
  EXPECT_EQ(tag_version("", "my-lib-v2.0.1"), "2.0.1");
  EXPECT_EQ(tag_version("", "v6.0-beta.2"), "6.0b2");
  EXPECT_EQ(tag_version("", "v3.0+build.1"), "3.0+build.1");
  EXPECT_EQ(tag_version("", "1!5.0"), "1!5.0");
  EXPECT_EQ(tag_version("", "nightly2"), std::nullopt);
  EXPECT_EQ(tag_version("", "deploy-2024-week3"), std::nullopt);
  EXPECT_EQ(tag_version("", "release/1.2"), std::nullopt);
}

TEST(scm, CustomTagRegex) {
  EXPECT_EQ(tag_version(R"(^release/(\d+\.\d+)$)", "release/1.2"), "1.2");
  EXPECT_EQ(tag_version(R"(^release/(\d+\.\d+)$)", "v1.2"), std::nullopt);
  // Python's re.match: anchored at the start, not at the end.
  EXPECT_EQ(tag_version(R"(rel-(\d+))", "rel-3-final"), "3");
  EXPECT_EQ(tag_version(R"(rel-(\d+))", "old-rel-3"), std::nullopt);
  // No group: the whole match.
  EXPECT_EQ(tag_version(R"(\d+\.\d+)", "2.5"), "2.5");
}

TEST(scm, TagRegexTakesPythonNamedGroups) {
  const auto regex = R"(^(?P<prefix>[a-z]+/)?(?P<version>\d+(\.\d+)*)$)";
  EXPECT_EQ(tag_version(regex, "release/1.2.3"), "1.2.3");
  EXPECT_EQ(tag_version(regex, "4.5"), "4.5");
  EXPECT_EQ(tag_version(R"([(]x(?P<version>\d+))", "(x9"), "9");
}

TEST(scm, InvalidTagRegexIsAnError) {
  try {
    TagPattern("release/(\\d+");
    FAIL() << "no error";
  } catch (const ScmError& e) {
    EXPECT_THAT(e.what(), HasSubstr("invalid tag regex 'release/(\\d+'"));
  }
}

// --- real git repositories ---------------------------------------------------------------------

// Everything else as by default: today's date, the default tag regex.
GitVersionOptions options_for(const fs::path& directory) {
  GitVersionOptions options;
  options.directory = directory;
  return options;
}

std::string run_git(const fs::path& directory, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  process::Options options;
  options.cwd = directory;
  options.environment = {{"GIT_AUTHOR_NAME", "Test"},
                         {"GIT_AUTHOR_EMAIL", "test@example.com"},
                         {"GIT_COMMITTER_NAME", "Test"},
                         {"GIT_COMMITTER_EMAIL", "test@example.com"},
                         {"GIT_AUTHOR_DATE", "2001-02-03T04:05:06Z"},
                         {"GIT_COMMITTER_DATE", "2001-02-03T04:05:06Z"},
                         {"LC_ALL", "C"}};
  options.capture_stdout = true;
  options.capture_stderr = true;
  const auto result = process::run(argv, options);
  if (!result.ok()) {
    throw std::runtime_error("git " + args.front() + " failed: " + result.err);
  }
  return result.out;
}

class scmGit : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = temp_.path() / "repo";
    fs::create_directories(repo_);
    git({"init", "--quiet", "--initial-branch=main"});
  }

  std::string git(const std::vector<std::string>& args) const { return run_git(repo_, args); }

  void commit(int count = 1) const {
    for (int i = 0; i < count; ++i) git({"commit", "--quiet", "--allow-empty", "-m", "empty"});
  }
  void commit_file(const std::string& name, const std::string& content) const {
    temp_.write("repo/" + name, content);
    git({"add", name});
    git({"commit", "--quiet", "-m", "change " + name});
  }
  std::string head() const { return git({"rev-parse", "HEAD"}).substr(0, 9); }

  std::string version(bool local = true, std::string tag_regex = "") const {
    return version_from_git(
        {.directory = repo_, .local = local, .tag_regex = std::move(tag_regex), .today = kToday});
  }
  std::string error(const fs::path& directory, std::string tag_regex = "") const {
    try {
      version_from_git({.directory = directory,
                        .local = true,
                        .tag_regex = std::move(tag_regex),
                        .today = kToday});
    } catch (const ScmError& e) {
      return e.what();
    }
    return "(no error)";
  }
  std::string error() const { return error(repo_); }

  dp::test::TempDir temp_;
  fs::path repo_;
};

TEST_F(scmGit, OnLightweightTag) {
  commit_file("f", "a\n");
  git({"tag", "v1.2.3"});
  EXPECT_EQ(version(), "1.2.3");
}

TEST_F(scmGit, OnAnnotatedTag) {
  commit_file("f", "a\n");
  git({"tag", "-a", "-m", "release", "v1.2.3"});
  EXPECT_EQ(version(), "1.2.3");
}

TEST_F(scmGit, TagIsNormalized) {
  commit_file("f", "a\n");
  git({"tag", "v1.0-Beta.2"});
  EXPECT_EQ(version(), "1.0b2");
}

TEST_F(scmGit, CommitsPastTag) {
  commit_file("f", "a\n");
  git({"tag", "1.2.3"});
  commit(4);
  EXPECT_EQ(version(), "1.2.4.dev4+g" + head());
}

TEST_F(scmGit, CommitsPastAnnotatedPreReleaseTag) {
  commit_file("f", "a\n");
  git({"tag", "-a", "-m", "rc", "1.0rc1"});
  commit(2);
  EXPECT_EQ(version(), "1.0rc2.dev2+g" + head());
}

TEST_F(scmGit, CommitsPastDev0Tag) {
  commit_file("f", "a\n");
  git({"tag", "2.0.dev0"});
  commit();
  EXPECT_EQ(version(), "2.0.dev1+g" + head());
}

TEST_F(scmGit, CommitsPastDevNTagIsAnError) {
  commit_file("f", "a\n");
  git({"tag", "2.0.dev3"});
  EXPECT_EQ(version(), "2.0.dev3");
  commit();
  EXPECT_THAT(error(), HasSubstr("only a .dev0 tag can be followed"));
}

TEST_F(scmGit, TagWithLocalPart) {
  commit_file("f", "a\n");
  git({"tag", "v3.0+build.1"});
  EXPECT_EQ(version(), "3.0+build.1");
  commit();
  EXPECT_EQ(version(), "3.1.dev1+build.1.g" + head());
}

TEST_F(scmGit, DirtyTree) {
  commit_file("f", "a\n");
  git({"tag", "1.2.3"});
  commit(4);
  temp_.write("repo/f", "b\n");
  EXPECT_EQ(version(), "1.2.4.dev4+g" + head() + ".d20261125");
}

TEST_F(scmGit, StagedChangeIsDirty) {
  commit_file("f", "a\n");
  git({"tag", "1.2.3"});
  temp_.write("repo/g", "new\n");
  git({"add", "g"});
  EXPECT_EQ(version(), "1.2.4.dev0+g" + head() + ".d20261125");
}

TEST_F(scmGit, DirtyOnTag) {
  commit_file("f", "a\n");
  git({"tag", "v1.2.3"});
  temp_.write("repo/f", "b\n");
  EXPECT_EQ(version(), "1.2.4.dev0+g" + head() + ".d20261125");
}

TEST_F(scmGit, UntrackedFilesAreNotDirty) {
  commit_file("f", "a\n");
  git({"tag", "v1.2.3"});
  temp_.write("repo/untracked", "x\n");
  EXPECT_EQ(version(), "1.2.3");
}

TEST_F(scmGit, TouchedButUnchangedFileIsNotDirty) {
  commit_file("f", "a\n");
  git({"tag", "v1.2.3"});
  fs::last_write_time(repo_ / "f", fs::last_write_time(repo_ / "f") + 1h);
  EXPECT_EQ(version(), "1.2.3");
}

TEST_F(scmGit, NoLocal) {
  commit_file("f", "a\n");
  git({"tag", "1.2.3"});
  commit(4);
  temp_.write("repo/f", "b\n");
  EXPECT_EQ(version(false), "1.2.4.dev4");
}

TEST_F(scmGit, NearestTagWins) {
  commit_file("f", "a\n");
  git({"tag", "v1.0"});
  commit();
  git({"tag", "v2.0"});
  commit();
  EXPECT_EQ(version(), "2.1.dev1+g" + head());
}

TEST_F(scmGit, TagsThatAreNotVersionsAreSkipped) {
  commit_file("f", "a\n");
  git({"tag", "v1.0"});
  commit();
  git({"tag", "nightly2"});
  commit();
  git({"tag", "-a", "-m", "deploy", "deploy-2024-week3"});
  git({"tag", "no-digits"});
  commit();
  EXPECT_EQ(version(), "1.1.dev3+g" + head());
}

TEST_F(scmGit, OnlyTagsThatAreNotVersions) {
  commit_file("f", "a\n");
  git({"tag", "nightly2"});
  git({"tag", "deploy-2024-week3"});
  const auto message = error();
  EXPECT_THAT(message, AllOf(HasSubstr("no version tag"), HasSubstr(repo_.string()),
                             HasSubstr("git tag v0.1.0"), HasSubstr("--tag-regex"),
                             HasSubstr("nightly2"), HasSubstr("deploy-2024-week3")));
}

TEST_F(scmGit, CustomTagRegex) {
  commit_file("f", "a\n");
  git({"tag", "release/1.2"});
  commit();
  EXPECT_EQ(version(true, R"(^release/(\d+\.\d+)$)"), "1.3.dev1+g" + head());
  EXPECT_EQ(version(true, R"(^(?P<kind>release)/(?P<version>[\d.]+)$)"), "1.3.dev1+g" + head());
  EXPECT_THAT(error(repo_), AllOf(HasSubstr("no version tag"), HasSubstr("release/1.2")));
}

TEST_F(scmGit, CustomTagRegexWithoutMatchingTag) {
  commit_file("f", "a\n");
  git({"tag", "v1.0"});
  EXPECT_THAT(error(repo_, R"(^release/(\d+\.\d+)$)"),
              AllOf(HasSubstr("matches the tag regex '^release/(\\d+\\.\\d+)$'"),
                    HasSubstr("skipped as not versions: v1.0")));
}

TEST_F(scmGit, DetachedHead) {
  commit_file("f", "a\n");
  git({"tag", "v1.0"});
  commit(3);
  git({"checkout", "--quiet", "--detach", "HEAD~1"});
  EXPECT_EQ(version(), "1.1.dev2+g" + head());
}

TEST_F(scmGit, FromASubdirectory) {
  commit_file("src/pkg/f", "a\n");
  git({"tag", "v1.0"});
  EXPECT_EQ(version_from_git(options_for(repo_ / "src" / "pkg")), "1.0");
}

TEST_F(scmGit, NoTag) {
  commit_file("f", "a\n");
  const auto message = error();
  EXPECT_THAT(message, AllOf(HasSubstr("no version tag"), HasSubstr(repo_.string()),
                             HasSubstr("git tag v0.1.0"), Not(HasSubstr("skipped"))));
}

TEST_F(scmGit, NoCommits) {
  EXPECT_THAT(error(), AllOf(HasSubstr("no commit yet"), HasSubstr(repo_.string())));
}

TEST_F(scmGit, NotARepository) {
  const auto plain = temp_.path() / "plain";
  fs::create_directories(plain);
  EXPECT_THAT(error(plain), AllOf(HasSubstr(plain.string()), HasSubstr("not in a git work tree")));
}

TEST_F(scmGit, NotADirectory) {
  const auto missing = temp_.path() / "missing";
  EXPECT_THAT(error(missing), AllOf(HasSubstr(missing.string()), HasSubstr("not a directory")));
}

TEST_F(scmGit, GitNotInstalled) {
  commit_file("f", "a\n");
  git({"tag", "v1.0"});
  const auto empty = temp_.path() / "empty-bin";
  fs::create_directories(empty);
  const ScopedEnv path("PATH", empty.string());
  EXPECT_THAT(error(), HasSubstr("git is not installed"));
}

TEST_F(scmGit, ShallowCloneWithoutTheTag) {
  commit_file("f", "a\n");
  git({"tag", "v1.0"});
  commit(3);
  const auto clone = temp_.path() / "clone";
  git({"clone", "--quiet", "--depth", "1", "file://" + repo_.string(), clone.string()});
  EXPECT_THAT(error(clone), AllOf(HasSubstr("shallow clone"), HasSubstr("git fetch --unshallow"),
                                  HasSubstr("fetch-depth: 0"), HasSubstr(clone.string())));
  run_git(clone, {"fetch", "--quiet", "--unshallow", "--tags"});
  EXPECT_EQ(version_from_git(options_for(clone)), "1.1.dev3+g" + head());
}

TEST_F(scmGit, DateFromSourceDateEpoch) {
  commit_file("f", "a\n");
  git({"tag", "v1.0"});
  temp_.write("repo/f", "b\n");
  const ScopedEnv epoch("SOURCE_DATE_EPOCH", "1000000000");
  EXPECT_EQ(version_from_git(options_for(repo_)), "1.1.dev0+g" + head() + ".d20010909");
}

TEST_F(scmGit, InvalidSourceDateEpochIsAnError) {
  commit_file("f", "a\n");
  git({"tag", "v1.0"});
  const ScopedEnv epoch("SOURCE_DATE_EPOCH", "yesterday");
  try {
    version_from_git(options_for(repo_));
    FAIL() << "no error";
  } catch (const ScmError& e) {
    EXPECT_THAT(e.what(), HasSubstr("SOURCE_DATE_EPOCH='yesterday'"));
  }
}

TEST_F(scmGit, RelativeDirectoryIsNamedAbsolutely) {
  commit_file("f", "a\n");
  const auto cwd = fs::current_path();
  fs::current_path(repo_);
  const auto message = error(".");
  fs::current_path(cwd);
  EXPECT_THAT(message, HasSubstr("no version tag in the history of " + repo_.string() + ":"));
}

TEST_F(scmGit, DateIsTodayInUtcNotTheCommitDate) {
  commit_file("f", "a\n");
  git({"tag", "v1.0"});
  temp_.write("repo/f", "b\n");
  const auto date = [] {
    const std::chrono::year_month_day day{
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
    return std::to_string(static_cast<int>(day.year()) * 10000 +
                          static_cast<int>(static_cast<unsigned>(day.month())) * 100 +
                          static_cast<int>(static_cast<unsigned>(day.day())));
  };
  const auto before = date();
  const auto result = version_from_git(options_for(repo_));
  const auto after = date();
  const auto prefix = "1.1.dev0+g" + head() + ".d";
  EXPECT_TRUE(result == prefix + before || result == prefix + after) << result;
}

}  // namespace
}  // namespace dp::scm
