// The test stage, in process, against the fake engine of data/docker (its container runs
// state/run and has the files under state/fs).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "stages/test/test_env.hpp"
#include "stages/test/test_stage.hpp"
#include "support/fake_engine.hpp"
#include "support/scoped_env.hpp"
#include "support/stage_outcome.hpp"
#include "support/temp_dir.hpp"

namespace dp::stages {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class TestStageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = test::install_fake_engine(dir_.path());
    // As the image stage leaves it: the image's id and the version it was built with.
    dir_.write("work/image.iid", "sha256:" + std::string(64, '1'));
    dir_.write("work/image.version", "1.0\n");
  }

  // The pipeline with more fields (JSON members, comma-separated).
  void write_pipeline(const std::string& more) {
    dir_.write("p.json", R"({"name": "app", "context": ")" + dir_.path().string() +
                             R"(", "dockerfile": "Dockerfile", "image": "app", "version": "1.0",
                             "work_dir": ")" +
                             (dir_.path() / "work").string() + R"(", "output_dir": ")" +
                             (dir_.path() / "out").string() + R"(")" + more + "}");
  }

  test::StageOutcome run(bool force = false) {
    TestOptions options;
    options.pipeline = dir_.path() / "p.json";
    options.force = force;
    const test::ScopedEnv engine("DOCKER_PIPELINE_ENGINE", engine_.c_str());
    return test::run_stage("test",
                           [&](Reporter& reporter) { return run_test_stage(options, reporter); });
  }

  std::string engine_log() const { return test::read_file(dir_.path() / "bin/state/log"); }

  test::TempDir dir_;
  fs::path engine_;
};

TEST_F(TestStageTest, APipelineWithoutTestsHasNothingToDo) {
  write_pipeline("");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "docker-pipeline: app has no TEST_COMMAND, ARTIFACTS or DIST_DIR: nothing to do\n");
  EXPECT_EQ(engine_log(), "");
}

TEST_F(TestStageTest, APassedRunCopiesTheDistsOfTheVersionAndIsNotRepeated) {
  write_pipeline(R"(, "test_command": ["pytest", "-q"], "dist_dir": "/app/dist",
                 "test_env": ["TOKEN=s3cret-value"])");
  dir_.write("bin/state/run", "echo collected 3 items\n");
  dir_.write("bin/state/fs/app/dist/app-1.0.tar.gz", "sdist");
  dir_.write("bin/state/fs/app/dist/app-0.9.tar.gz", "old");
  const auto first = run();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("docker-pipeline: testing app:1.0 (sha256:111111111111): "
                                   "pytest -q\n"));
  EXPECT_THAT(first.out, HasSubstr("docker-pipeline: tests of app:1.0 passed\n"));
  EXPECT_THAT(first.out, HasSubstr("docker-pipeline: not copied from /app/dist (not an sdist or "
                                   "wheel of 1.0): app-0.9.tar.gz\n"));
  EXPECT_THAT(first.out, HasSubstr("docker-pipeline:   app-1.0.tar.gz (5 bytes)\n"));
  EXPECT_EQ(test::read_file(dir_.path() / "out/dist/app-1.0.tar.gz"), "sdist");
  EXPECT_FALSE(fs::exists(dir_.path() / "out/dist/app-0.9.tar.gz"));
  // TEST_ENV's values never reach the container's configuration (docker inspect): a file copied
  // in before the start holds them, and the shell that runs the command reads and deletes it.
  EXPECT_THAT(engine_log(),
              AllOf(Not(HasSubstr("--env TOKEN")), Not(HasSubstr("s3cret-value")),
                    HasSubstr(" /bin/sh -c . /.docker-pipeline-env/env && rm -f "
                              "/.docker-pipeline-env/env && exec \"$@\" sh pytest -q\n"),
                    HasSubstr(" fakecontainer0001:/.docker-pipeline-env\nstart --attach"),
                    HasSubstr("rm --force --volumes fakecontainer0001")));
  EXPECT_EQ(test::read_file(dir_.path() / "bin/state/in/.docker-pipeline-env/env"),
            "export TOKEN='s3cret-value'\n");
  EXPECT_FALSE(fs::exists(dir_.path() / "work/test-env") &&
               !fs::is_empty(dir_.path() / "work/test-env"));  // the staging folder is gone

  const auto second = run();
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("tests of app:1.0 passed before and nothing changed; not run "
                                    "again (--force runs them)"));
  fs::remove_all(dir_.path() / "out/dist");
  EXPECT_THAT(run().out, HasSubstr("app-1.0.tar.gz is gone: running the tests of app:1.0 again"));
  EXPECT_THAT(run(true).out, HasSubstr("docker-pipeline: tests of app:1.0 passed\n"));
}

TEST_F(TestStageTest, FailedTestsExitWithTheirStatusAndPublishNothing) {
  write_pipeline(R"(, "test_command": ["pytest"], "dist_dir": "/app/dist",
                 "artifacts": ["/app/reports"])");
  dir_.write("bin/state/run", "exit 3\n");
  dir_.write("bin/state/fs/app/dist/app-1.0.tar.gz", "sdist");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_THAT(result.err,
              HasSubstr("docker-pipeline test: warning: ARTIFACTS /app/reports not copied: "));
  EXPECT_THAT(result.err, HasSubstr("docker-pipeline test: tests of app:1.0 failed with exit "
                                    "status 3; nothing is published\n"));
  EXPECT_THAT(result.out, HasSubstr("docker-pipeline: copied 0 of 1 artifact path to "));
  EXPECT_FALSE(fs::exists(dir_.path() / "out/dist"));
  EXPECT_FALSE(fs::exists(dir_.path() / "work/test.passed"));
}

TEST_F(TestStageTest, ACopyThatFailsOnTheHostKeepsTheLastPassedRunsOutputs) {
  write_pipeline(R"(, "test_command": ["pytest"], "dist_dir": "/app/dist",
                 "artifacts": ["/app/reports"])");
  dir_.write("bin/state/fs/app/dist/app-1.0.tar.gz", "sdist");
  dir_.write("bin/state/fs/app/reports/junit.xml", "<testsuite tests='1'/>");
  ASSERT_EQ(run().exit_code, 0);
  const auto record = test::read_file(dir_.path() / "work/test.passed");

  dir_.write("bin/state/cp-fails", "write /x/reports/junit.xml: no space left on device\n");
  const auto result = run(true);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("docker-pipeline test: error: cannot copy ARTIFACTS "
                                    "/app/reports out of the container: write "
                                    "/x/reports/junit.xml: no space left on device\n"));
  EXPECT_EQ(test::read_file(dir_.path() / "out/artifacts/reports/junit.xml"),
            "<testsuite tests='1'/>");
  EXPECT_EQ(test::read_file(dir_.path() / "out/dist/app-1.0.tar.gz"), "sdist");
  EXPECT_EQ(test::read_file(dir_.path() / "work/test.passed"), record);
  for (const auto& entry : fs::directory_iterator(dir_.path() / "out")) {
    EXPECT_THAT(entry.path().filename().string(), Not(HasSubstr(".staging")));
  }
}

TEST_F(TestStageTest, TwoArtifactsOfOneNameAreRefusedBeforeTheEngineIsAsked) {
  write_pipeline(R"(, "artifacts": ["/a/reports", "/b/reports"])");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(
      result.err,
      HasSubstr("docker-pipeline test: error: " + (dir_.path() / "p.json").string() + ": "));
  EXPECT_EQ(engine_log(), "");
  // validate's check, without an engine or an image.
  EXPECT_THROW(prepare_test(pipeline::load(dir_.path() / "p.json")), UserError);
}

// --- MATRIX: each variant tested, the dists merged -------------------------------------------

class MatrixTestStageTest : public TestStageTest {
 protected:
  void SetUp() override {
    TestStageTest::SetUp();
    for (const char* variant : {"a", "b"}) {
      const auto work = fs::path("work/variants") / variant;
      dir_.write((work / "image.iid").string(),
                 "sha256:" + std::string(64, variant[0] == 'a' ? '1' : '2'));
      dir_.write((work / "image.version").string(), "1.0\n");
    }
    write_pipeline(R"(, "test_command": ["pytest"], "dist_dir": "/app/dist",
                   "matrix": {"build_arg": "BASE", "variants": [{"name": "a", "value": "x:a"},
                                                                {"name": "b", "value": "x:b"}]})");
    dir_.write("bin/state/fs/app/dist/app-1.0.tar.gz", "sdist");
    dir_.write("bin/state/fs/app/dist/app-1.0-py3-none-any.whl", "wheel");
  }
  // One variant at a time: the fake engine has one container.
  const test::ScopedEnv jobs_{"DOCKER_PIPELINE_JOBS", "1"};
};

TEST_F(MatrixTestStageTest, EachVariantIsTestedAndItsDistsMergedOnce) {
  const auto first = run();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("testing app:1.0-a (sha256:111111111111): pytest"));
  EXPECT_THAT(first.out, HasSubstr("testing app:1.0-b (sha256:222222222222): pytest"));
  EXPECT_THAT(first.out, HasSubstr("  app-1.0.tar.gz (from a, b)\n"));
  EXPECT_EQ(test::read_file(dir_.path() / "out/variants/b/dist/app-1.0.tar.gz"), "sdist");
  EXPECT_EQ(test::read_file(dir_.path() / "out/dist/app-1.0-py3-none-any.whl"), "wheel");
  EXPECT_THAT(test::read_file(dir_.path() / "work/test.passed"), HasSubstr("app-1.0.tar.gz"));

  // Unchanged: no container, and the merged dists (with what else their folder holds) stay.
  dir_.write("out/dist/.docker-pipeline-upload.json", "{}");
  fs::remove(dir_.path() / "bin/state/log");
  const auto second = run();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("tests of app:1.0-b passed before and nothing changed"));
  EXPECT_THAT(engine_log(), Not(HasSubstr("create")));
  EXPECT_TRUE(fs::exists(dir_.path() / "out/dist/.docker-pipeline-upload.json"));
}

TEST_F(MatrixTestStageTest, AFileOfOneNameWithOtherBytesIsRefused) {
  dir_.write("out/dist/app-0.9.tar.gz", "merged by an earlier run");
  // Each run of the tests rewrites the sdist: the variants copy out different bytes.
  dir_.write("bin/state/run", "echo run >> \"$(dirname \"$0\")/fs/app/dist/app-1.0.tar.gz\"\n");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("error: app-1.0.tar.gz differs between the variants a (sha256 "));
  EXPECT_THAT(result.err, HasSubstr(") and b (sha256 "));
  EXPECT_THAT(result.err, HasSubstr("ARG_VARIANT"));
  EXPECT_FALSE(
      fs::exists(dir_.path() / "work/test.passed"));  // so nothing is verified or published
  EXPECT_FALSE(fs::exists(dir_.path() / "out/dist/app-0.9.tar.gz"));  // nor uploaded by hand
}

TEST(TestEnvScript, QuotesEveryValueForTheShell) {
  EXPECT_EQ(test_env_script({{"A", "it's $HOME; `x` \"q\"\nline 2"}, {"EMPTY", ""}}),
            "export A='it'\\''s $HOME; `x` \"q\"\nline 2'\nexport EMPTY=''\n");
  EXPECT_THAT(with_test_env({"python3", "-m", "pytest"}),
              ::testing::ElementsAre("/bin/sh", "-c", ::testing::StartsWith(". "), "sh", "python3",
                                     "-m", "pytest"));
}

}  // namespace
}  // namespace dp::stages
