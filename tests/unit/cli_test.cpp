// The command line of the docker-pipeline executable itself: subcommands, help, exit statuses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "process/process.hpp"
#include "support/temp_dir.hpp"

namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

dp::process::Result helper(std::vector<std::string> args,
                           std::vector<std::pair<std::string, std::string>> environment = {}) {
  args.insert(args.begin(), DP_HELPER_PATH);
  dp::process::Options options;
  options.capture_stdout = options.capture_stderr = true;
  options.environment = std::move(environment);
  return dp::process::run(args, options);
}

TEST(cli, HelpListsEverySubcommand) {
  const auto result = helper({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, AllOf(HasSubstr("version"), HasSubstr("stamp"), HasSubstr("build"),
                                HasSubstr("test"), HasSubstr("check"), HasSubstr("upload")));
}

TEST(cli, VersionFlagPrintsTheHelpersVersion) {
  const auto result = helper({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("docker-pipeline " DOCKER_PIPELINE_TEST_EXPECTED_VERSION));
}

class SubcommandHelp : public ::testing::TestWithParam<std::string> {};

TEST_P(SubcommandHelp, ExitsZeroWithUsage) {
  const auto result = helper({GetParam(), "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("Usage:"));
  EXPECT_THAT(result.out, HasSubstr(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(cli, SubcommandHelp,
                         ::testing::Values("version", "stamp", "build", "test", "check", "upload"));

TEST(cli, UsageErrorsExitTwo) {
  EXPECT_EQ(helper({}).exit_code, 2);
  EXPECT_EQ(helper({"publish-everything"}).exit_code, 2);
  EXPECT_EQ(helper({"build"}).exit_code, 2);  // --pipeline is required
}

TEST(cli, ErrorsAreOneLineNamingTheSubcommand) {
  const auto result = helper({"version", "--normalize", "1.0-beta!"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("docker-pipeline version: error: invalid version '1.0-beta!'"));
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
}

TEST(cli, VersionNormalizes) {
  const auto result = helper({"version", "--normalize", "v1.0-BETA.1"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "1.0b1\n");
}

TEST(cli, PasswordOnTheCommandLineIsRefusedAndNotEchoed) {
  const dp::test::TempDir dir;
  const auto wheel = dir.write("demo-1.0-py3-none-any.whl", "not really a wheel");
  const auto result = helper({"upload", "--repository-url", "http://127.0.0.1:9/", "-u", "me", "-p",
                              "hunter2-secret", wheel.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("TWINE_PASSWORD"));
  EXPECT_THAT(result.out + result.err, Not(HasSubstr("hunter2-secret")));
}

TEST(cli, StagesNameAMissingPipelineFile) {
  const auto result = helper({"test", "--pipeline", "/nonexistent/demo.pipeline.json"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.out + result.err, HasSubstr("/nonexistent/demo.pipeline.json"));
}

}  // namespace
