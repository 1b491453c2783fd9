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
                                HasSubstr("test"), HasSubstr("check"), HasSubstr("upload"),
                                HasSubstr("validate"), HasSubstr("publish"), HasSubstr("release")));
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
                         ::testing::Values("version", "stamp", "build", "test", "check", "upload",
                                           "validate", "publish", "release"));

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

struct VersionCliCase {
  std::vector<std::string> args;
  std::string out;
};

void PrintTo(const VersionCliCase& c, std::ostream* out) {
  for (const auto& arg : c.args) *out << arg << ' ';
  *out << "-> " << c.out;
}

class VersionCli : public ::testing::TestWithParam<VersionCliCase> {};

TEST_P(VersionCli, PrintsTheResult) {
  auto args = GetParam().args;
  args.insert(args.begin(), "version");
  const auto result = helper(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, GetParam().out);
}

INSTANTIATE_TEST_SUITE_P(
    cli, VersionCli,
    ::testing::Values(VersionCliCase{{"--normalize", " 1!2.0-PREVIEW_1-2.dev+ubuntu-1\n"},
                                     "1!2.0rc1.post2.dev0+ubuntu.1\n"},
                      VersionCliCase{{"--check", "1.0.post1"}, ""},
                      VersionCliCase{{"--compare", "1.0", "1.0.0"}, "0\n"},
                      VersionCliCase{{"--compare", "1.0+local", "1.0.post1.dev0"}, "-1\n"},
                      VersionCliCase{{"--compare", "1!0.1", "2.0"}, "1\n"},
                      VersionCliCase{{"--docker-tag", "1!2.0+ci.7"}, "1_2.0-ci.7\n"},
                      VersionCliCase{{"--bump", "minor", "1.2.3"}, "1.3.0\n"},
                      VersionCliCase{{"--bump", "patch", "1.3.0rc1"}, "1.3.1\n"},
                      VersionCliCase{{"--bump", "pre", "1.0rc1"}, "1.0rc2\n"},
                      VersionCliCase{{"--bump", "minor,pre", "v1.0"}, "1.1a0\n"},
                      VersionCliCase{{"--bump", "dev", "1.0.dev1"}, "1.0.dev2\n"},
                      VersionCliCase{{"--semver", "--check", "1.0.0-rc.1+build.5"}, ""},
                      VersionCliCase{{"--semver", "--normalize", "1.0rc1"}, "1.0.0-rc.1\n"},
                      VersionCliCase{{"--semver", "--normalize", "1.0.0-1"}, "1.0.0-1\n"},
                      VersionCliCase{{"--semver", "--compare", "1.0.0-alpha.beta", "1.0.0-beta"},
                                     "-1\n"},
                      VersionCliCase{{"--semver", "--compare", "1.0.0+a", "1.0.0+b"}, "0\n"},
                      VersionCliCase{{"--compare", "1.0.0+a", "1.0.0+b"}, "-1\n"}));

TEST(cli, VersionErrorsExitOneNamingTheProblem) {
  const auto bump = helper({"version", "--bump", "dev", "1.0"});
  EXPECT_EQ(bump.exit_code, 1);
  EXPECT_THAT(bump.err, HasSubstr("gives 1.0.dev0, which is not after 1.0"));
  const auto part = helper({"version", "--bump", "huge", "1.0"});
  EXPECT_EQ(part.exit_code, 1);
  EXPECT_THAT(part.err, HasSubstr("unknown version part 'huge'"));
  const auto semver = helper({"version", "--semver", "--check", "v1.2.3"});
  EXPECT_EQ(semver.exit_code, 1);
  EXPECT_THAT(semver.err, HasSubstr("invalid semantic version 'v1.2.3'"));
  const auto mapping = helper({"version", "--semver", "--normalize", "1.0.post1"});
  EXPECT_EQ(mapping.exit_code, 1);
  EXPECT_THAT(mapping.err, HasSubstr("no SemVer equivalent"));
}

TEST(cli, VersionTakesExactlyOneAction) {
  EXPECT_EQ(helper({"version"}).exit_code, 2);
  EXPECT_EQ(helper({"version", "--check", "1.0", "--normalize", "1.0"}).exit_code, 2);
  EXPECT_EQ(helper({"version", "--normalize", "1.0", "2.0"}).exit_code, 2);
  EXPECT_EQ(helper({"version", "--bump", "major"}).exit_code, 2);
  EXPECT_EQ(helper({"version", "--semver", "--bump", "major", "1.0.0"}).exit_code, 2);
  EXPECT_EQ(helper({"version", "--semver", "--docker-tag", "1.0.0"}).exit_code, 2);
}

// What --from reads: stages_version_source_test.cpp.
TEST(cli, VersionMissingSourcesAreUsageErrors) {
  EXPECT_EQ(helper({"version", "--no-local"}).exit_code, 2);  // needs --from
  EXPECT_EQ(helper({"version", "--semver", "--from", "git"}).exit_code, 2);
  EXPECT_EQ(helper({"version", "--from", "git", "--normalize", "1"}).exit_code, 2);
}

// What stamping does: stamp_test.cpp and stages_version_source_test.cpp.
TEST(cli, StampTakesExactlyOneOfVersionAndFromAndSomeFiles) {
  EXPECT_EQ(helper({"stamp", "--from", "git", "--version", "1", "pyproject.toml"}).exit_code, 2);
  EXPECT_EQ(helper({"stamp", "pyproject.toml"}).exit_code, 2);
  EXPECT_EQ(helper({"stamp", "--version", "1"}).exit_code, 2);  // FILE is required
}

TEST(cli, VersionHelpDocumentsBumpAndSemVer) {
  const auto result = helper({"version", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, AllOf(HasSubstr("--bump PARTS V"), HasSubstr("--semver"),
                                HasSubstr("1.3.0rc1 -> 1.3.1"), HasSubstr("1.2rc1 -> 1.2.0-rc.1")));
}

TEST(cli, BuildHelpDocumentsTheOrderOfDetection) {
  const auto result = helper({"build", "--help"});
  EXPECT_THAT(result.out, HasSubstr("DOCKER_PIPELINE_ENGINE"));
  EXPECT_THAT(result.out, HasSubstr("buildx"));
  EXPECT_THAT(result.out, HasSubstr("--allow-insecure-dockerfile"));
  EXPECT_THAT(result.out, HasSubstr("SOURCE_DATE_EPOCH"));
}

TEST(cli, UploadHelpDocumentsTheJournal) {
  const auto result = helper({"upload", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out,
              AllOf(HasSubstr("--no-journal"), HasSubstr(".docker-pipeline-upload.json"),
                    HasSubstr("same sha256"), HasSubstr("still lists it")));
}

// In a CI log every command is a collapsible section, and an error also an annotation after it.
TEST(cli, InGitHubActionsACommandIsAGroupAndItsErrorAnAnnotation) {
  dp::test::TempDir dir;
  const auto pipeline = dir.write("demo.pipeline.json", "{");
  const auto result = helper({"validate", "--pipeline", pipeline.string()},
                             {{"GITHUB_ACTIONS", "true"}, {"GITLAB_CI", ""}});
  EXPECT_EQ(result.exit_code, 1);
  ASSERT_TRUE(result.out.starts_with("::group::docker-pipeline validate demo\n")) << result.out;
  const auto end = result.out.find("::endgroup::\n");
  const auto annotation = result.out.find("::error title=docker-pipeline validate::error: ");
  ASSERT_NE(end, std::string::npos) << result.out;
  EXPECT_GT(annotation, end) << result.out;
  EXPECT_THAT(result.out, HasSubstr(pipeline.string()));
  EXPECT_THAT(result.err, HasSubstr("docker-pipeline validate: error: "));
}

TEST(cli, InGitLabCiACommandIsACollapsedSection) {
  dp::test::TempDir dir;
  const auto pipeline = dir.write("demo.pipeline.json", "{");
  const auto result = helper({"validate", "--pipeline", pipeline.string()},
                             {{"GITHUB_ACTIONS", ""}, {"GITLAB_CI", "true"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr(":docker_pipeline_validate_demo[collapsed=true]\r\033[0K"
                                    "docker-pipeline validate demo\n"));
  EXPECT_THAT(result.out, HasSubstr("section_end:"));
  EXPECT_THAT(result.out, Not(HasSubstr("::error")));
}

TEST(cli, ElsewhereAndAroundDataThereAreNoCiMarkers) {
  dp::test::TempDir dir;
  const auto pipeline = dir.write("demo.pipeline.json", "{");
  const auto plain = helper({"validate", "--pipeline", pipeline.string()},
                            {{"GITHUB_ACTIONS", ""}, {"GITLAB_CI", ""}});
  EXPECT_THAT(plain.out + plain.err, AllOf(Not(HasSubstr("::")), Not(HasSubstr("section_"))));
  // What `version` prints is read by scripts, in CI too: $(docker-pipeline version --from git).
  const auto version =
      helper({"version", "--normalize", "1.0"}, {{"GITHUB_ACTIONS", "true"}, {"GITLAB_CI", ""}});
  EXPECT_EQ(version.out, "1.0\n");
}

}  // namespace
