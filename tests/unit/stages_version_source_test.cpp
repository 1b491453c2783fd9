// `version --from/--pipeline/--output` and `stamp --from`: versions read from a source, by the
// stages in process, in a real git repository. The option rules are the command line's
// (cli_test.cpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "process/process.hpp"
#include "stages/stamp/stamp_stage.hpp"
#include "stages/version/version_stage.hpp"
#include "support/scoped_env.hpp"
#include "support/stage_outcome.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using dp::stages::VersionFrom;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

const std::vector<std::pair<std::string, std::string>> kGitEnvironment = {
    {"GIT_CONFIG_GLOBAL", "/dev/null"}, {"GIT_CONFIG_NOSYSTEM", "1"},
    {"GIT_AUTHOR_NAME", "t"},           {"GIT_AUTHOR_EMAIL", "t@example.invalid"},
    {"GIT_COMMITTER_NAME", "t"},        {"GIT_COMMITTER_EMAIL", "t@example.invalid"}};

// What `docker-pipeline version` prints and exits with for `request`.
dp::test::StageOutcome version_stage(const dp::stages::VersionRequest& request) {
  return dp::test::run_stage("version", [&](dp::stages::Reporter& reporter) {
    return dp::stages::run_version_stage(request, reporter);
  });
}

// --from SOURCE, relative to `dir` (the command's current directory).
VersionFrom from_in(const fs::path& dir, std::string from) {
  VersionFrom source;
  source.from = std::move(from);
  source.directory = dir;
  return source;
}

VersionFrom without_local(VersionFrom source) {
  source.no_local = true;
  return source;
}

// `version --from SOURCE`.
dp::test::StageOutcome version_from(const VersionFrom& source) {
  dp::stages::VersionRequest request;
  request.source = source;
  return version_stage(request);
}

class VersionSourceStage : public ::testing::Test {
 protected:
  void SetUp() override {
    git({"init", "-q"});
    git({"commit", "-q", "--allow-empty", "-m", "first"});
    git({"tag", "v1.2.3"});
  }
  void git(std::vector<std::string> args) {
    args.insert(args.begin(), "git");
    dp::process::Options options;
    options.cwd = repo();
    options.capture_stdout = options.capture_stderr = true;
    options.environment = kGitEnvironment;
    const auto result = dp::process::run(args, options);
    ASSERT_TRUE(result.ok()) << result.err;
  }
  const fs::path& repo() const { return dir_.path(); }

  // The stages' git reads no user or system configuration either.
  dp::test::ScopedEnv global_config_{"GIT_CONFIG_GLOBAL", "/dev/null"};
  dp::test::ScopedEnv system_config_{"GIT_CONFIG_NOSYSTEM", "1"};
  dp::test::TempDir dir_;
};

TEST_F(VersionSourceStage, FromGitPrintsTheTagsVersionOnTheTag) {
  const auto result = version_from(from_in(repo(), "git"));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "1.2.3\n");
}

TEST_F(VersionSourceStage, FromGitPastTheTagIsTheNextDevVersion) {
  git({"commit", "-q", "--allow-empty", "-m", "second"});
  EXPECT_THAT(version_from(from_in(repo(), "git")).out,
              MatchesRegex("1\\.2\\.4\\.dev1\\+g[0-9a-f]{9}\n"));
  EXPECT_EQ(version_from(without_local(from_in(repo(), "git"))).out, "1.2.4.dev1\n");
  const auto sub = repo() / "sub";
  fs::create_directories(sub);
  EXPECT_EQ(version_from(without_local(from_in(sub, "git:.."))).out, "1.2.4.dev1\n");
}

TEST_F(VersionSourceStage, FromGitReadsOtherTagStylesWithATagRegex) {
  git({"tag", "release/2.0"});
  auto source = from_in(repo(), "git");
  source.tag_regex = "^release/(.*)$";
  EXPECT_EQ(version_from(source).out, "2.0\n");
}

TEST_F(VersionSourceStage, FromGitOutsideARepositoryIsAOneLineError) {
  dp::test::TempDir elsewhere;
  const auto result = version_from(from_in(elsewhere.path(), "git"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, AllOf(HasSubstr("docker-pipeline version: error:"),
                                HasSubstr(elsewhere.path().string())));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
}

TEST_F(VersionSourceStage, FromFileNormalizesWhatTheFileHolds) {
  dir_.write("VERSION", "1.0-RC.1\n");
  EXPECT_EQ(version_from(from_in(repo(), "file:VERSION")).out, "1.0rc1\n");
  dir_.write("VERSION", "one\n");
  const auto result = version_from(from_in(repo(), "file:VERSION"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, AllOf(HasSubstr("VERSION"), HasSubstr("'one'")));
}

TEST_F(VersionSourceStage, GitOptionsWithAFileSourceAreRefused) {
  dir_.write("VERSION", "1.0\n");
  const auto result = version_from(without_local(from_in(repo(), "file:VERSION")));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("--no-local and --tag-regex apply to --from git"));
}

// A missing source and --from with another action are usage errors: cli_test.cpp.
TEST_F(VersionSourceStage, UnknownSourcesAreErrors) {
  EXPECT_THAT(version_from(from_in(repo(), "svn")).err, HasSubstr("unknown version source 'svn'"));
}

TEST_F(VersionSourceStage, OutputIsWrittenOnlyWhenTheVersionChanged) {
  const auto out = repo() / "build" / "version";
  dp::stages::VersionRequest request;
  request.source = from_in(repo(), "git");
  request.output = out;
  ASSERT_EQ(version_stage(request).exit_code, 0);
  EXPECT_EQ(dp::test::read_file(out), "1.2.3\n");
  const auto first = fs::last_write_time(out);
  fs::last_write_time(out, first - std::chrono::hours(1));
  const auto backdated = fs::last_write_time(out);
  ASSERT_EQ(version_stage(request).exit_code, 0);
  EXPECT_EQ(fs::last_write_time(out), backdated) << "an unchanged version leaves the file alone";
  git({"commit", "-q", "--allow-empty", "-m", "second"});
  git({"tag", "v1.3.0"});
  ASSERT_EQ(version_stage(request).exit_code, 0);
  EXPECT_EQ(dp::test::read_file(out), "1.3.0\n");
}

TEST_F(VersionSourceStage, OutputNeedsASource) {
  dp::stages::VersionRequest request;
  request.action = dp::stages::VersionAction::normalize;
  request.values = {"1.0"};
  request.output = "x";
  const auto result = version_stage(request);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("--output applies to --from and --pipeline"));
}

TEST_F(VersionSourceStage, PipelinePrintsThePipelinesVersionNow) {
  const auto pipeline = dir_.write("demo.pipeline.json", R"({
    "name": "demo", "context": ")" + repo().string() + R"(", "dockerfile": "Dockerfile",
    "image": "demo", "work_dir": ")" + (repo() / "work").string() +
                                                             R"(",
    "version_from": {"source": "git", "directory": ")" + repo().string() +
                                                             R"(", "local": true}
  })");
  dp::stages::VersionRequest request;
  request.pipeline = pipeline;
  EXPECT_EQ(version_stage(request).out, "1.2.3\n");
  git({"commit", "-q", "--allow-empty", "-m", "second"});
  git({"tag", "v1.4"});
  EXPECT_EQ(version_stage(request).out, "1.4\n");
}

// --from together with --version, and neither, are usage errors: cli_test.cpp.
TEST_F(VersionSourceStage, StampFromGitWritesTheRepositorysVersion) {
  const auto pyproject = dir_.write("pyproject.toml", "[project]\nname = \"a\"\nversion = \"0\"\n");
  dp::stages::StampRequest request;
  request.source = VersionFrom{};
  request.source->from = "git";  // read where the files are
  request.files = {"pyproject.toml"};
  request.directory = repo();
  const auto result = dp::test::run_stage("stamp", [&](dp::stages::Reporter& reporter) {
    return dp::stages::run_stamp_stage(request, reporter);
  });
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(dp::test::read_file(pyproject), "[project]\nname = \"a\"\nversion = \"1.2.3\"\n");
}

}  // namespace
