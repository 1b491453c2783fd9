// The check stage, in process, on the dists of data/pypi.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "stages/publish/check_stage.hpp"
#include "support/stage_outcome.hpp"

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

}  // namespace
}  // namespace dp::stages
