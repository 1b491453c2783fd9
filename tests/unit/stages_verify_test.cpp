// The verify stage, in process, against the fake engine of data/docker (its container prints
// state/probe for the python3 probe and runs state/run as the verify script).
#include <fmt/core.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "pipeline/pipeline.hpp"
#include "stages/verify/verify_container.hpp"
#include "stages/verify/verify_stage.hpp"
#include "support/fake_engine.hpp"
#include "support/scoped_env.hpp"
#include "support/stage_outcome.hpp"
#include "support/temp_dir.hpp"

namespace dp::stages {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const fs::path kDists = fs::path(DP_TEST_DATA_DIR) / "pypi";
constexpr const char* kWheel = "demo_pkg-0.1.0-py3-none-any.whl";  // Requires-Python: >=3.8
constexpr const char* kSdist = "demo_pkg-0.1.0.tar.gz";

class VerifyStageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = test::install_fake_engine(dir_.path());
    dir_.write("work/image.iid", "sha256:" + std::string(64, '1'));
    dir_.write("work/image.version", "0.1.0\n");
    dir_.write("tests/test_demo.py", "def test_it(): pass\n");
    // As the test stage leaves it: a passed run and its dists.
    fs::create_directories(dir_.path() / "out/dist");
    for (const auto* file : {kWheel, kSdist}) {
      fs::copy_file(kDists / file, dir_.path() / "out/dist" / file);
    }
    dir_.write("work/test.passed", fmt::format(R"({{"digest": "x", "dists": ["{}", "{}"],
                                                   "artifacts": []}})",
                                               kWheel, kSdist));
    image("docker-pipeline/python3:bookworm", 'b');
    image("docker-pipeline/python3:bullseye", 'c');
    probe("3.11.2");
  }

  void image(const std::string& reference, char id) {
    std::string file = reference;
    for (auto& c : file) {
      if (c == '/' || c == ':') c = '_';
    }
    dir_.write("bin/state/images/" + file, "sha256:" + std::string(64, id) + "\n");
  }
  void probe(const std::string& python) {
    dir_.write("bin/state/probe",
               R"({"python": ")" + python +
                   R"(", "implementation": "cpython", "glibc": "2.36", "machine": "x86_64"})" +
                   "\n");
  }

  void write_pipeline(const std::string& images, const std::string& more = "") {
    dir_.write("p.json", R"({"format": "1.3", "name": "app", "context": ")" + dir_.path().string() +
                             R"(", "dockerfile": "Dockerfile", "image": "app", "version": "0.1.0",
                             "test_command": ["pytest", "-q", "tests"], "dist_dir": "/app/dist",
                             "verify_files": ["tests"], "verify_images": [)" +
                             images + R"(], "work_dir": ")" + (dir_.path() / "work").string() +
                             R"(", "output_dir": ")" + (dir_.path() / "out").string() + R"(")" +
                             more + "}");
  }

  test::StageOutcome run(bool force = false) {
    VerifyOptions options;
    options.pipeline = dir_.path() / "p.json";
    options.force = force;
    options.jobs = 1;
    const test::ScopedEnv engine("DOCKER_PIPELINE_ENGINE", engine_.c_str());
    return test::run_stage("verify",
                           [&](Reporter& reporter) { return run_verify_stage(options, reporter); });
  }

  std::string engine_log() const { return test::read_file(dir_.path() / "bin/state/log"); }

  test::TempDir dir_;
  fs::path engine_;
};

TEST_F(VerifyStageTest, APipelineWithoutVerifyImagesHasNothingToDo) {
  write_pipeline("");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "docker-pipeline: app has no VERIFY_IMAGES: nothing to verify\n");
  EXPECT_EQ(engine_log(), "");
}

TEST_F(VerifyStageTest, InstallsTheWheelAndTheSdistWithTheFilesAndRecordsThePass) {
  write_pipeline(R"("docker-pipeline/python3:bookworm")");
  const auto first = run();
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("bookworm: Python 3.11.2, installing " + std::string(kWheel) +
                                   " + " + kSdist));
  EXPECT_THAT(first.out, HasSubstr("demo_pkg 0.1.0 verified on bookworm"));
  // Only the dists, the files and the script went in; the script got the command as arguments.
  const auto in = dir_.path() / "bin/state/in/dp-verify";
  EXPECT_TRUE(fs::exists(in / "dists" / kWheel));
  EXPECT_TRUE(fs::exists(in / "files/tests/test_demo.py"));
  EXPECT_FALSE(fs::exists(in / "files/p.json"));
  EXPECT_EQ(test::read_file(in / "verify.sh"), std::string(verify_script()));
  EXPECT_THAT(test::read_file(dir_.path() / "bin/state/created"),
              HasSubstr("sh /dp-verify/verify.sh pytest -q tests"));
  EXPECT_TRUE(fs::exists(dir_.path() / "work/verify/bookworm.passed"));

  // Unchanged: not run again, and the image's python is not asked again either.
  fs::remove(dir_.path() / "bin/state/log");
  const auto second = run();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("bookworm: verified before and nothing changed"));
  EXPECT_THAT(engine_log(), Not(HasSubstr("create")));

  // A changed test file runs it again.
  dir_.write("tests/test_demo.py", "def test_it(): assert True\n");
  const auto third = run();
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_THAT(third.out, Not(HasSubstr("verified before")));
}

TEST_F(VerifyStageTest, TheFirstImageAloneInstallsTheSdist) {
  write_pipeline(R"("docker-pipeline/python3:bookworm", "docker-pipeline/python3:bullseye")");
  const auto result = run();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("bookworm: Python 3.11.2, installing " + std::string(kWheel) +
                                    " + " + kSdist + "\n"));
  EXPECT_THAT(result.out,
              HasSubstr("bullseye: Python 3.11.2, installing " + std::string(kWheel) + "\n"));
}

TEST_F(VerifyStageTest, WithoutVerifySdistNoImageInstallsTheSdist) {
  write_pipeline(R"("docker-pipeline/python3:bookworm", "docker-pipeline/python3:bullseye")",
                 R"(, "verify_sdist": false)");
  const auto result = run();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("bookworm: Python 3.11.2, installing " + std::string(kWheel) + "\n"));
  EXPECT_THAT(result.out, Not(HasSubstr(kSdist)));
}

TEST_F(VerifyStageTest, WithoutVerifySdistAPackageWithoutWheelsIsAnError) {
  dir_.write("work/test.passed",
             fmt::format(R"({{"digest": "x", "dists": ["{}"], "artifacts": []}})", kSdist));
  fs::remove(dir_.path() / "out/dist" / kWheel);
  write_pipeline(R"("docker-pipeline/python3:bookworm")", R"(, "verify_sdist": false)");
  const auto result = run();
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("demo_pkg 0.1.0 has no wheel, and VERIFY_SDIST is OFF"));
  EXPECT_THAT(engine_log(), Not(HasSubstr("create")));
}

TEST_F(VerifyStageTest, FailingTestsFailTheStageWithTheirStatus) {
  write_pipeline(R"("docker-pipeline/python3:bookworm")");
  dir_.write("bin/state/run", "exit 3\n");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_THAT(result.err,
              HasSubstr("bookworm: failed (status 3) on docker-pipeline/python3:bookworm; "
                        "nothing is published"));
  EXPECT_FALSE(fs::exists(dir_.path() / "work/verify/bookworm.passed"));
}

TEST_F(VerifyStageTest, AnInstallThatFailsIsNamed) {
  write_pipeline(R"("docker-pipeline/python3:bookworm")");
  dir_.write("bin/state/run", "exit " + std::to_string(kInstallFailedStatus) + "\n");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("bookworm: install failed on docker-pipeline/python3:bookworm"));
}

TEST_F(VerifyStageTest, AnImageBelowRequiresPythonIsAnErrorNamingBothVersions) {
  write_pipeline(R"("docker-pipeline/python3:bookworm")");
  probe("3.7.3");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err,
              HasSubstr("verify image docker-pipeline/python3:bookworm has Python 3.7.3, outside "
                        "the Requires-Python >=3.8 of demo_pkg 0.1.0"));
}

TEST_F(VerifyStageTest, AMissingImageIsAnErrorAndNothingRuns) {
  write_pipeline(R"("docker-pipeline/python3:bookworm", "docker-pipeline/python3:trixie")");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("verify image docker-pipeline/python3:trixie is not on this "
                                    "machine (images are never pulled)"));
  EXPECT_THAT(engine_log(), Not(HasSubstr("create")));
}

TEST_F(VerifyStageTest, WithoutAPassedTestRunThereIsNothingToVerify) {
  write_pipeline(R"("docker-pipeline/python3:bookworm")");
  fs::remove(dir_.path() / "work/test.passed");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("app has no dists of a passed test run to verify: run the "
                                    "target app-test first"));
}

TEST_F(VerifyStageTest, AWheelNoImageInstallsIsAnError) {
  fs::copy_file(kDists / "demo_pkg-0.2.0-cp311-cp311-linux_x86_64.whl",
                dir_.path() / "out/dist/demo_pkg-0.1.0-cp39-cp39-linux_x86_64.whl");
  dir_.write("work/test.passed",
             fmt::format(R"({{"digest": "x", "dists": ["{}", "{}", "{}"],
                                                 "artifacts": []}})",
                         kWheel, kSdist, "demo_pkg-0.1.0-cp39-cp39-linux_x86_64.whl"));
  write_pipeline(R"("docker-pipeline/python3:bookworm")");
  const auto result = run();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("the wheel demo_pkg-0.1.0-cp39-cp39-linux_x86_64.whl installs "
                                    "on none of the VERIFY_IMAGES of app"));
}

class VerifyPlanTest : public ::testing::Test {
 protected:
  pipeline::Pipeline pipeline_with(std::vector<std::string> images) {
    pipeline::Pipeline p;
    p.file = "p.json";
    p.name = "app";
    p.context = dir_.path();
    p.test_command = {"pytest"};
    p.dist_dir = "/app/dist";
    p.verify_images = std::move(images);
    return p;
  }
  std::string error_of(const pipeline::Pipeline& p) {
    try {
      prepare_verify(p);
    } catch (const pipeline::PipelineError& e) {
      return e.what();
    }
    return "no error";
  }
  test::TempDir dir_;
};

TEST_F(VerifyPlanTest, NamesEachImageByItsTag) {
  const auto plan = prepare_verify(
      pipeline_with({"docker-pipeline/python3:bullseye", "localhost:5000/py:3.13-slim"}));
  ASSERT_EQ(plan.targets.size(), 2u);
  EXPECT_EQ(plan.targets[0].name, "bullseye");
  EXPECT_EQ(plan.targets[1].name, "3.13-slim");
  EXPECT_EQ(plan.command, std::vector<std::string>{"pytest"});
}

TEST_F(VerifyPlanTest, RefusesWhatCannotRunWithOneLineNamingTheField) {
  EXPECT_EQ(error_of(pipeline_with({"a/python:3.9", "b/python:3.9"})),
            "p.json: field 'verify_images': a/python:3.9 and b/python:3.9 have one tag, 3.9; "
            "verify each image once, under tags of their own");
  auto no_command = pipeline_with({"python:3.9"});
  no_command.test_command.clear();
  EXPECT_EQ(error_of(no_command),
            "p.json: field 'verify_command': empty, and so is test_command: nothing to run");
  auto no_dists = pipeline_with({"python:3.9"});
  no_dists.dist_dir.clear();
  EXPECT_EQ(error_of(no_dists),
            "p.json: field 'dist_dir': empty: verify installs the dists DIST_DIR holds");
  auto missing = pipeline_with({"python:3.9"});
  missing.verify_files = {"tests"};
  EXPECT_EQ(error_of(missing), fmt::format("p.json: field 'verify_files[0]': tests does not exist "
                                           "in the context {}",
                                           dir_.path().string()));
}

TEST(VerifyContainer, TheProbesLastJsonLineDescribesThePython) {
  const auto in = parse_interpreter(
      "entrypoint says hello\n{\"python\": \"3.9.2\", \"implementation\": \"cpython\", "
      "\"glibc\": \"2.31\", \"machine\": \"x86_64\"}\n",
      "img:1");
  EXPECT_EQ(in.version, "3.9.2");
  EXPECT_EQ(in.major, 3);
  EXPECT_EQ(in.minor, 9);
  EXPECT_EQ(in.glibc, "2.31");
  EXPECT_THROW(parse_interpreter("sh: 1: python3: not found\n", "img:1"), UserError);
}

}  // namespace
}  // namespace dp::stages
