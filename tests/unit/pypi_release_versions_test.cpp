#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "pypi/check/release_versions.hpp"
#include "pypi/errors.hpp"

namespace dp::pypi {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

const std::filesystem::path fixtures = std::filesystem::path{DP_TEST_DATA_DIR} / "pypi";

std::vector<Distribution> demo_dists() {
  return {inspect_distribution(fixtures / "demo_pkg-0.1.0-py3-none-any.whl"),
          inspect_distribution(fixtures / "demo_pkg-0.1.0.tar.gz")};
}

// A dist whose metadata says `version` and whose file name says `file_version`.
Distribution dist_of(const std::string& version, const std::string& file_version) {
  Distribution dist;
  dist.path = "dist/demo_pkg-" + file_version + "-py3-none-any.whl";
  dist.metadata.fields.push_back({"Version", version});
  return dist;
}

TEST(pypiReleaseVersions, DistsOfThePipelinesVersionPass) {
  EXPECT_NO_THROW(require_release_version(demo_dists(), "0.1.0"));
  EXPECT_NO_THROW(require_release_version(demo_dists(), "V0.1.0"));  // compared normalized
  EXPECT_THROW(require_release_version(demo_dists(), "0.1"), DistributionError);  // as stamped
  EXPECT_FALSE(release_version_mismatch(dist_of("1.0rc1", "1.0rc1"), "1.0-RC1").has_value());
}

TEST(pypiReleaseVersions, ADistOfAnotherVersionStopsTheReleaseNamingBoth) {
  try {
    require_release_version(demo_dists(), "0.2.0");
    FAIL() << "expected DistributionError";
  } catch (const DistributionError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("demo_pkg-0.1.0-py3-none-any.whl"), HasSubstr("'0.1.0'"),
                                HasSubstr("0.2.0"), HasSubstr("nothing was uploaded")));
  }
}

TEST(pypiReleaseVersions, MetadataAndFileNameAreBothChecked) {
  EXPECT_THAT(release_version_mismatch(dist_of("0.0.1", "0.0.2"), "0.0.2").value_or(""),
              AllOf(HasSubstr("'0.0.1'"), HasSubstr("metadata")));
  EXPECT_THAT(release_version_mismatch(dist_of("0.0.2", "0.0.1"), "0.0.2").value_or(""),
              AllOf(HasSubstr("'0.0.1'"), HasSubstr("file name")));
}

TEST(pypiReleaseVersions, LocalVersionsGoOnlyToAnIndexOnThisHost) {
  const std::vector<Distribution> local{dist_of("1.0+g1a2b3c4", "1.0+g1a2b3c4")};
  EXPECT_NO_THROW(require_publishable_versions(local, "http://127.0.0.1:8080/", false));
  EXPECT_NO_THROW(require_publishable_versions(local, "http://localhost/simple/", false));
  EXPECT_NO_THROW(require_publishable_versions(local, "http://[::1]:3141/root/dev/", false));
  EXPECT_NO_THROW(require_publishable_versions(local, "https://upload.pypi.org/legacy/", true));
  try {
    require_publishable_versions(local, "https://upload.pypi.org/legacy/", false);
    FAIL() << "expected DistributionError";
  } catch (const DistributionError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("1.0+g1a2b3c4"), HasSubstr("--no-local"),
                                HasSubstr("--allow-local-version")));
  }
  EXPECT_NO_THROW(require_publishable_versions({dist_of("1.0", "1.0")},
                                               "https://upload.pypi.org/legacy/", false));
}

TEST(pypiReleaseVersions, LoopbackMeansThisHostOnly) {
  EXPECT_TRUE(is_loopback_url("http://127.0.0.1:8080/"));
  EXPECT_TRUE(is_loopback_url("http://127.1.2.3/"));
  EXPECT_TRUE(is_loopback_url("http://LOCALHOST:3141/"));
  EXPECT_TRUE(is_loopback_url("http://[::1]/"));
  EXPECT_FALSE(is_loopback_url("http://127.0.0.1.example.com/"));
  EXPECT_FALSE(is_loopback_url("http://localhost.example.com/"));
  EXPECT_FALSE(is_loopback_url("http://10.0.0.1/"));
  EXPECT_FALSE(is_loopback_url("not a url"));
}

}  // namespace
}  // namespace dp::pypi
