// `version --from/--pipeline/--output` and `stamp --from`: versions read from a source, by the
// executable, in a real git repository.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "process/process.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

const std::vector<std::pair<std::string, std::string>> kGitEnvironment = {
    {"GIT_CONFIG_GLOBAL", "/dev/null"}, {"GIT_CONFIG_NOSYSTEM", "1"},
    {"GIT_AUTHOR_NAME", "t"},           {"GIT_AUTHOR_EMAIL", "t@example.invalid"},
    {"GIT_COMMITTER_NAME", "t"},        {"GIT_COMMITTER_EMAIL", "t@example.invalid"}};

dp::process::Result run_in(const fs::path& dir, std::vector<std::string> argv) {
  dp::process::Options options;
  options.cwd = dir;
  options.capture_stdout = options.capture_stderr = true;
  options.environment = kGitEnvironment;
  return dp::process::run(argv, options);
}

dp::process::Result helper_in(const fs::path& dir, std::vector<std::string> args) {
  args.insert(args.begin(), DP_HELPER_PATH);
  return run_in(dir, std::move(args));
}

class CliVersionSource : public ::testing::Test {
 protected:
  void SetUp() override {
    git({"init", "-q"});
    git({"commit", "-q", "--allow-empty", "-m", "first"});
    git({"tag", "v1.2.3"});
  }
  void git(std::vector<std::string> args) {
    args.insert(args.begin(), "git");
    const auto result = run_in(repo(), args);
    ASSERT_TRUE(result.ok()) << result.err;
  }
  const fs::path& repo() const { return dir_.path(); }

  dp::test::TempDir dir_;
};

TEST_F(CliVersionSource, FromGitPrintsTheTagsVersionOnTheTag) {
  const auto result = helper_in(repo(), {"version", "--from", "git"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "1.2.3\n");
}

TEST_F(CliVersionSource, FromGitPastTheTagIsTheNextDevVersion) {
  git({"commit", "-q", "--allow-empty", "-m", "second"});
  EXPECT_THAT(helper_in(repo(), {"version", "--from", "git"}).out,
              MatchesRegex("1\\.2\\.4\\.dev1\\+g[0-9a-f]{9}\n"));
  EXPECT_EQ(helper_in(repo(), {"version", "--from", "git", "--no-local"}).out, "1.2.4.dev1\n");
  const auto sub = repo() / "sub";
  fs::create_directories(sub);
  EXPECT_EQ(helper_in(sub, {"version", "--from", "git:..", "--no-local"}).out, "1.2.4.dev1\n");
}

TEST_F(CliVersionSource, FromGitReadsOtherTagStylesWithATagRegex) {
  git({"tag", "release/2.0"});
  EXPECT_EQ(helper_in(repo(), {"version", "--from", "git", "--tag-regex", "^release/(.*)$"}).out,
            "2.0\n");
}

TEST_F(CliVersionSource, FromGitOutsideARepositoryIsAOneLineError) {
  dp::test::TempDir elsewhere;
  const auto result = helper_in(elsewhere.path(), {"version", "--from", "git"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, AllOf(HasSubstr("docker-pipeline version: error:"),
                                HasSubstr(elsewhere.path().string())));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
}

TEST_F(CliVersionSource, FromFileNormalizesWhatTheFileHolds) {
  dir_.write("VERSION", "1.0-RC.1\n");
  EXPECT_EQ(helper_in(repo(), {"version", "--from", "file:VERSION"}).out, "1.0rc1\n");
  dir_.write("VERSION", "one\n");
  const auto result = helper_in(repo(), {"version", "--from", "file:VERSION"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, AllOf(HasSubstr("VERSION"), HasSubstr("'one'")));
}

TEST_F(CliVersionSource, GitOptionsWithAFileSourceAreRefused) {
  dir_.write("VERSION", "1.0\n");
  const auto result = helper_in(repo(), {"version", "--from", "file:VERSION", "--no-local"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("--no-local and --tag-regex apply to --from git"));
}

TEST_F(CliVersionSource, UnknownSourcesAndMissingSourcesAreUsageErrors) {
  EXPECT_THAT(helper_in(repo(), {"version", "--from", "svn"}).err,
              HasSubstr("unknown version source 'svn'"));
  EXPECT_EQ(helper_in(repo(), {"version", "--no-local"}).exit_code, 2);  // needs --from
  EXPECT_EQ(helper_in(repo(), {"version", "--semver", "--from", "git"}).exit_code, 2);
  EXPECT_EQ(helper_in(repo(), {"version", "--from", "git", "--normalize", "1"}).exit_code, 2);
}

TEST_F(CliVersionSource, OutputIsWrittenOnlyWhenTheVersionChanged) {
  const auto out = repo() / "build" / "version";
  ASSERT_EQ(helper_in(repo(), {"version", "--from", "git", "--output", out.string()}).exit_code, 0);
  EXPECT_EQ(dp::test::read_file(out), "1.2.3\n");
  const auto first = fs::last_write_time(out);
  fs::last_write_time(out, first - std::chrono::hours(1));
  const auto backdated = fs::last_write_time(out);
  ASSERT_EQ(helper_in(repo(), {"version", "--from", "git", "--output", out.string()}).exit_code, 0);
  EXPECT_EQ(fs::last_write_time(out), backdated) << "an unchanged version leaves the file alone";
  git({"commit", "-q", "--allow-empty", "-m", "second"});
  git({"tag", "v1.3.0"});
  ASSERT_EQ(helper_in(repo(), {"version", "--from", "git", "--output", out.string()}).exit_code, 0);
  EXPECT_EQ(dp::test::read_file(out), "1.3.0\n");
}

TEST_F(CliVersionSource, OutputNeedsASource) {
  const auto result = helper_in(repo(), {"version", "--normalize", "1.0", "--output", "x"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("--output applies to --from and --pipeline"));
}

TEST_F(CliVersionSource, PipelinePrintsThePipelinesVersionNow) {
  const auto pipeline = dir_.write("demo.pipeline.json", R"({
    "name": "demo", "context": ")" + repo().string() + R"(", "dockerfile": "Dockerfile",
    "image": "demo", "work_dir": ")" + (repo() / "work").string() +
                                                             R"(",
    "version_from": {"source": "git", "directory": ")" + repo().string() +
                                                             R"(", "local": true}
  })");
  EXPECT_EQ(helper_in(repo(), {"version", "--pipeline", pipeline.string()}).out, "1.2.3\n");
  git({"commit", "-q", "--allow-empty", "-m", "second"});
  git({"tag", "v1.4"});
  EXPECT_EQ(helper_in(repo(), {"version", "--pipeline", pipeline.string()}).out, "1.4\n");
}

TEST_F(CliVersionSource, StampFromGitWritesTheRepositorysVersion) {
  const auto pyproject = dir_.write("pyproject.toml", "[project]\nname = \"a\"\nversion = \"0\"\n");
  const auto result = helper_in(repo(), {"stamp", "--from", "git", "pyproject.toml"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(dp::test::read_file(pyproject), "[project]\nname = \"a\"\nversion = \"1.2.3\"\n");
  EXPECT_EQ(
      helper_in(repo(), {"stamp", "--from", "git", "--version", "1", "pyproject.toml"}).exit_code,
      2);
  EXPECT_EQ(helper_in(repo(), {"stamp", "pyproject.toml"}).exit_code, 2);
}

}  // namespace
