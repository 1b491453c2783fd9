// The CI log: sections, units, annotations, masks and the step summary (GitHub Actions workflow
// commands, GitLab CI markers).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "console/ci_log.hpp"
#include "support/temp_dir.hpp"

namespace dp::console {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

process::EnvironmentLookup environment(std::map<std::string, std::string> variables) {
  return [variables](std::string_view name) -> std::optional<std::string> {
    const auto found = variables.find(std::string(name));
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

// What a CiLog wrote while `use` ran with it.
template <typename Use>
std::string written(CiSystem system, const std::string& pipeline_file, Use use,
                    std::map<std::string, std::string> variables = {}) {
  std::FILE* out = std::tmpfile();
  {
    CiLog log{system, "test", pipeline_file, environment(std::move(variables)), out};
    use(log);
  }
  std::rewind(out);
  std::string text;
  for (int c; (c = std::fgetc(out)) != EOF;) text.push_back(static_cast<char>(c));
  std::fclose(out);
  return text;
}

std::string written(CiSystem system, const std::string& pipeline_file) {
  return written(system, pipeline_file, [](CiLog&) {});
}

TEST(consoleCiLog, KnowsWhereItRuns) {
  const auto in = [](std::map<std::string, std::string> variables) {
    return detect_ci(environment(std::move(variables)));
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
  EXPECT_THAT(gitlab, MatchesRegex("\033\\[0Ksection_start:[0-9]+:"
                                   "docker_pipeline_test_py_demo\\[collapsed=true\\]\r\033\\[0K"
                                   "docker-pipeline test py demo\n"
                                   "\033\\[0Ksection_end:[0-9]+:docker_pipeline_test_py_demo\r"
                                   "\033\\[0K\n"));
  EXPECT_EQ(written(CiSystem::none, "/b/pydemo.pipeline.json"), "");
}

TEST(consoleCiLog, AFailureIsAnAnnotationAfterTheSectionSayingWhy) {
  const auto thrown = written(CiSystem::github, "/b/pydemo.pipeline.json",
                              [](CiLog& log) { log.finish(1, "error: no image"); });
  EXPECT_EQ(thrown,
            "::group::docker-pipeline test pydemo\n::endgroup::\n"
            "::error title=docker-pipeline test::error: no image\n");
  // A failing status without an exception: the last failure line the stage gave says why.
  const auto failed = written(CiSystem::github, "", [](CiLog& log) {
    log.failed("docker-pipeline test: tests of pydemo:1.0 failed with exit status 1");
    log.finish(1, "");
  });
  EXPECT_THAT(failed, HasSubstr("::endgroup::\n::error title=docker-pipeline test::docker-pipeline "
                                "test: tests of pydemo:1.0 failed with exit status 1\n"));
  EXPECT_THAT(written(CiSystem::github, "", [](CiLog& log) { log.finish(3, ""); }),
              HasSubstr("::error title=docker-pipeline test::exit status 3\n"));
  EXPECT_THAT(written(CiSystem::github, "", [](CiLog& log) { log.finish(0, ""); }),
              ::testing::Not(HasSubstr("::error")));
}

TEST(consoleCiLog, AnnotationsEscapeWhatWorkflowCommandsWouldRead) {
  EXPECT_EQ(ci_error_line(CiSystem::github, "upload", "error: 50% sent\nthen: a, b"),
            "::error title=docker-pipeline upload::error: 50%25 sent%0Athen: a, b\n");
  EXPECT_EQ(ci_error_line(CiSystem::gitlab, "upload", "error"), "");
  EXPECT_EQ(ci_error_line(CiSystem::none, "upload", "error"), "");
}

TEST(consoleCiLog, AFailedTestIsAnAnnotationAtItsFileAndLineRelativeToTheWorkspace) {
  const auto text =
      written(CiSystem::github, "",
              [](CiLog& log) {
                log.annotate({"/w/repo/python/tests/test_a.py", 12,
                              "test failed: tests.test_a::test_x", "assert 1 == 2\nwhere 1 = f()"});
                log.annotate({"", 0, "test failed: t", "boom"});
              },
              {{"GITHUB_WORKSPACE", "/w/repo"}});
  EXPECT_THAT(text, HasSubstr("::error file=python/tests/test_a.py,line=12,title=test failed%3A "
                              "tests.test_a%3A%3Atest_x::assert 1 == 2%0Awhere 1 = f()\n"));
  EXPECT_THAT(text, HasSubstr("::error title=test failed%3A t::boom\n"));
  EXPECT_EQ(written(CiSystem::gitlab, "",
                    [](CiLog& log) {
                      log.annotate({"f.py", 1, "t", "m"});
                    })
                .find("::error"),
            std::string::npos);
}

TEST(consoleCiLog, SecretsAreMaskedOnGitHubOnly) {
  EXPECT_THAT(written(CiSystem::github, "", [](CiLog& log) { log.mask("pypi-AgEtoken"); }),
              HasSubstr("::add-mask::pypi-AgEtoken\n"));
  EXPECT_THAT(written(CiSystem::gitlab, "", [](CiLog& log) { log.mask("pypi-AgEtoken"); }),
              ::testing::Not(HasSubstr("pypi-AgEtoken")));
  EXPECT_EQ(ci_mask_line(CiSystem::github, "two\nlines"), "");
}

TEST(consoleCiLog, EachUnitIsASectionOfItsOwnAndTheCommandsLinesReopenTheirs) {
  const auto github = written(CiSystem::github, "/b/pydemo.pipeline.json", [](CiLog& log) {
    log.unit("bookworm", {"collected 3 items", "3 passed"});
    log.unit("trixie", {"3 passed"});
    log.before_line();
  });
  EXPECT_EQ(github,
            "::group::docker-pipeline test pydemo\n::endgroup::\n"
            "::group::docker-pipeline test pydemo: bookworm\ncollected 3 items\n3 passed\n"
            "::endgroup::\n"
            "::group::docker-pipeline test pydemo: trixie\n3 passed\n::endgroup::\n"
            "::group::docker-pipeline test pydemo (continued)\n::endgroup::\n");
  const auto gitlab = written(CiSystem::gitlab, "/b/pydemo.pipeline.json",
                              [](CiLog& log) { log.unit("bookworm", {"3 passed"}); });
  EXPECT_THAT(gitlab,
              HasSubstr("docker_pipeline_test_pydemo__bookworm[collapsed=true]\r\033[0K"
                        "docker-pipeline test pydemo: bookworm\n3 passed\n\033[0Ksection_end:"));
  EXPECT_EQ(written(CiSystem::none, "", [](CiLog& log) { log.unit("bookworm", {"3 passed"}); }),
            "[bookworm] 3 passed\n");
}

TEST(consoleCiLog, TheStepSummaryGetsTheResultTimeAndTablesInMarkdown) {
  test::TempDir dir;
  const auto summary = dir.path() / "step_summary.md";
  written(CiSystem::github, "/b/pydemo.pipeline.json",
          [](CiLog& log) {
            log.summarize({"Uploaded", {"file", "result"}, {{"a|b.whl", "uploaded"}, {"c", ""}}});
            log.finish(0, "");
          },
          {{"GITHUB_STEP_SUMMARY", summary.string()}});
  std::ifstream in(summary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_THAT(text.str(),
              MatchesRegex("### ✅ `docker-pipeline test pydemo`: done in [0-9]+\\.[0-9] s\n\n"
                           "\\*\\*Uploaded\\*\\*\n\n"
                           "\\| file \\| result \\|\n"
                           "\\| --- \\| --- \\|\n"
                           "\\| a\\\\\\|b\\.whl \\| uploaded \\|\n"
                           "\\| c \\|   \\|\n\n"));
}

}  // namespace
}  // namespace dp::console
