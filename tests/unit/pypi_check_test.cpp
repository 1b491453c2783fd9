#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "pypi/dist_check.hpp"

namespace dp::pypi {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::filesystem::path fixtures = std::filesystem::path{DP_TEST_DATA_DIR} / "pypi";

TEST(pypiCheckDistribution, PassesTheGoodFixtures) {
  for (const char* file :
       {"demo_pkg-0.1.0-py3-none-any.whl", "demo_pkg-0.1.0.tar.gz", "demo_pkg-0.1.0.zip"}) {
    const auto report = check_distribution(fixtures / file);
    EXPECT_TRUE(report.passed()) << file;
    EXPECT_THAT(report.errors, IsEmpty()) << file;
    EXPECT_THAT(report.warnings, IsEmpty()) << file;
    EXPECT_TRUE(report.distribution.has_value());
  }
}

TEST(pypiCheckDistribution, FailsUnreadableArchivesWithTheReason) {
  const auto report = check_distribution(fixtures / "garbage-0.1.0-py3-none-any.whl");
  EXPECT_FALSE(report.passed());
  EXPECT_THAT(report.errors, ElementsAre(HasSubstr("cannot read archive")));
  EXPECT_FALSE(report.distribution.has_value());
  EXPECT_FALSE(check_distribution(fixtures / "nometa-0.1.0-py3-none-any.whl").passed());
  EXPECT_FALSE(check_distribution(fixtures / "twotops-0.1.0.tar.gz").passed());
}

TEST(pypiCheckDistribution, FailsAFileNameThatNamesAnotherProject) {
  const auto report = check_distribution(fixtures / "other_name-0.1.0-py3-none-any.whl");
  EXPECT_THAT(
      report.errors,
      ElementsAre(HasSubstr("names project 'other_name' but its metadata says 'demo_pkg'")));
}

TEST(pypiCheckDistribution, FailsMissingVersion) {
  const auto report = check_distribution(fixtures / "demo_pkg-0.2.0-cp311-cp311-linux_x86_64.whl");
  EXPECT_THAT(report.errors, ElementsAre(HasSubstr("has no Version")));
}

Distribution wheel(const std::string& file_name, const std::string& metadata) {
  Distribution dist;
  dist.path = file_name;
  dist.kind = DistKind::wheel;
  dist.metadata_path = "x.dist-info/METADATA";
  dist.metadata = parse_core_metadata(metadata);
  return dist;
}

TEST(pypiCheckDistribution, ComparesNamesAndVersionsNormalized) {
  const auto report =
      check_distribution(wheel("Demo.Pkg-1.0rc1-py3-none-any.whl",
                               "Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.0RC1\n"));
  EXPECT_TRUE(report.passed()) << report.errors.front();
  const auto mismatch = check_distribution(
      wheel("demo-1.0-py3-none-any.whl", "Metadata-Version: 2.1\nName: demo\nVersion: 1.1\n"));
  EXPECT_THAT(mismatch.errors,
              ElementsAre(HasSubstr("names version '1.0' but its metadata says '1.1'")));
}

TEST(pypiCheckDistribution, ReportsMissingFieldsRepeatsAndUnknowns) {
  const auto report = check_distribution(
      wheel("demo-1.0-py3-none-any.whl", "Name: demo\nVersion: 1.0\nName: again\nX-Custom: y\n"));
  EXPECT_THAT(report.errors,
              ElementsAre(HasSubstr("has no Metadata-Version"), HasSubstr("Name appears 2 times")));
  EXPECT_THAT(report.warnings, ElementsAre(HasSubstr("unknown field X-Custom")));
}

TEST(pypiCheckDistribution, FailsBadlyFormedFileNames) {
  const auto report = check_distribution(
      wheel("demo-1.0.whl", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"));
  EXPECT_THAT(report.errors, ElementsAre(HasSubstr("is not <name>-<version>")));
}

}  // namespace
}  // namespace dp::pypi
