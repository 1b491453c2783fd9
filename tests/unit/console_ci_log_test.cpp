// The CI log's sections and annotations (GitHub Actions workflow commands, GitLab CI markers).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

#include "console/ci_log.hpp"

namespace dp::console {
namespace {

std::string written(CiSystem system, const std::string& pipeline_file) {
  std::FILE* out = std::tmpfile();
  { const CiSection section{system, "test", pipeline_file, out, 1700000000}; }
  std::rewind(out);
  std::string text;
  for (int c; (c = std::fgetc(out)) != EOF;) text.push_back(static_cast<char>(c));
  std::fclose(out);
  return text;
}

TEST(consoleCiLog, KnowsWhereItRuns) {
  const auto in = [](std::map<std::string, std::string> variables) {
    return detect_ci([variables](std::string_view name) -> std::optional<std::string> {
      const auto found = variables.find(std::string(name));
      if (found == variables.end()) return std::nullopt;
      return found->second;
    });
  };
  EXPECT_EQ(in({{"GITHUB_ACTIONS", "true"}, {"CI", "true"}}), CiSystem::github);
  EXPECT_EQ(in({{"GITLAB_CI", "true"}, {"CI", "true"}}), CiSystem::gitlab);
  EXPECT_EQ(in({{"CI", "true"}}), CiSystem::none);
  EXPECT_EQ(in({{"GITHUB_ACTIONS", "false"}}), CiSystem::none);
}

TEST(consoleCiLog, SectionsAreBalancedAndNamedAfterTheCommandAndPipeline) {
  EXPECT_EQ(written(CiSystem::github, "/b/pydemo.pipeline.json"),
            "::group::docker-pipeline test pydemo\n::endgroup::\n");
  const auto gitlab = written(CiSystem::gitlab, "/b/py demo.pipeline.json");
  EXPECT_THAT(gitlab, ::testing::StartsWith("\033[0Ksection_start:1700000000:"
                                            "docker_pipeline_test_py_demo[collapsed=true]\r\033[0K"
                                            "docker-pipeline test py demo\n"));
  EXPECT_THAT(gitlab, ::testing::HasSubstr(":docker_pipeline_test_py_demo\r\033[0K\n"));
  EXPECT_EQ(written(CiSystem::none, "/b/pydemo.pipeline.json"), "");
}

TEST(consoleCiLog, AnnotationsEscapeWhatWorkflowCommandsWouldRead) {
  EXPECT_EQ(ci_error_line(CiSystem::github, "upload", "error: 50% sent\nthen: a, b"),
            "::error title=docker-pipeline upload::error: 50%25 sent%0Athen: a, b\n");
  EXPECT_EQ(ci_error_line(CiSystem::gitlab, "upload", "error"), "");
  EXPECT_EQ(ci_error_line(CiSystem::none, "upload", "error"), "");
}

}  // namespace
}  // namespace dp::console
