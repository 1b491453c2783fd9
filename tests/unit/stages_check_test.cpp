// The check stage, in process, on the dists of data/pypi.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "stages/publish/check_stage.hpp"
#include "support/scoped_env.hpp"
#include "support/stage_outcome.hpp"
#include "support/temp_dir.hpp"

namespace dp::stages {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path fixtures = std::filesystem::path{DP_TEST_DATA_DIR} / "pypi";

test::StageOutcome check(const CheckOptions& options) {
  return test::run_stage("check",
                         [&](Reporter& reporter) { return run_check_stage(options, reporter); });
}

TEST(CheckStage, AGoodWheelPasses) {
  const auto file = (fixtures / "demo_pkg-0.1.0-py3-none-any.whl").string();
  const auto result = check({{file}, {}, false});
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_THAT(result.out, HasSubstr("Checking " + file + ": PASSED"));
}

TEST(CheckStage, AFailedFileFailsTheCheckAndTheOthersAreStillReported) {
  const auto bad = (fixtures / "bad_hash-0.1.0-py3-none-any.whl").string();
  const auto good = (fixtures / "demo_pkg-0.1.0-py3-none-any.whl").string();
  const auto result = check({{bad, good}, {}, false});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("Checking " + bad + ": FAILED\n  ERROR   "));
  EXPECT_THAT(result.out, HasSubstr("Checking " + good + ": PASSED"));
}

// A pipeline whose dists are the linux_x86_64 wheel, published to `repository`.
test::StageOutcome check_linux_wheel_for(const std::string& repository) {
  const test::TempDir dir;
  const char* wheel = "linux_tag-0.1.0-cp311-cp311-linux_x86_64.whl";
  std::filesystem::create_directories(dir.path() / "out/dist");
  std::filesystem::copy_file(fixtures / wheel, dir.path() / "out/dist" / wheel);
  dir.write("work/image.version", "0.1.0\n");
  dir.write("p.json", R"({"name": "app", "context": "/src", "dockerfile": "Dockerfile",
    "image": "app", "version": "0.1.0", "repository": ")" +
                          repository + R"(", "work_dir": ")" + (dir.path() / "work").string() +
                          R"(", "output_dir": ")" + (dir.path() / "out").string() + R"("})");
  const test::ScopedEnv url("TWINE_REPOSITORY_URL", nullptr);
  return check({{}, dir.path() / "p.json", false});
}

TEST(CheckStage, ALinuxPlatformTagFailsForPypiAndWarnsForOtherIndexes) {
  const auto to_pypi = check_linux_wheel_for("https://upload.pypi.org/legacy/");
  EXPECT_EQ(to_pypi.exit_code, 1);
  EXPECT_THAT(to_pypi.out, HasSubstr(": FAILED\n  ERROR   linux_tag-0.1.0-cp311-cp311-linux_x86_64"
                                     ".whl: platform tag linux_x86_64 is refused by PyPI"));
  const auto to_local = check_linux_wheel_for("http://127.0.0.1:8080/");
  EXPECT_EQ(to_local.exit_code, 0) << to_local.out;
  EXPECT_THAT(to_local.out, HasSubstr(": PASSED with warnings\n  WARNING linux_tag-0.1.0"));
}

}  // namespace
}  // namespace dp::stages
