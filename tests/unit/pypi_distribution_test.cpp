#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "pypi/dist/dist_files.hpp"
#include "pypi/dist/dist_names.hpp"
#include "pypi/dist/distribution.hpp"
#include "pypi/errors.hpp"

namespace dp::pypi {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path fixtures = std::filesystem::path{DP_TEST_DATA_DIR} / "pypi";

std::string error_of(const std::filesystem::path& file) {
  try {
    inspect_distribution(file);
  } catch (const DistributionError& error) {
    return error.what();
  }
  return "no error";
}

TEST(pypiDistNames, RecognisesDistributionsByTheirSuffix) {
  EXPECT_EQ(dist_kind_of("dist/a-1-py3-none-any.whl"), DistKind::wheel);
  EXPECT_EQ(dist_kind_of("a-1.tar.gz"), DistKind::sdist_tar_gz);
  EXPECT_EQ(dist_kind_of("a-1.zip"), DistKind::sdist_zip);
  EXPECT_FALSE(dist_kind_of("a-1.tar.bz2").has_value());
  EXPECT_FALSE(dist_kind_of("a-1.whl.asc").has_value());
  EXPECT_EQ(filetype_of(DistKind::wheel), "bdist_wheel");
  EXPECT_EQ(filetype_of(DistKind::sdist_zip), "sdist");
}

TEST(pypiDistNames, ParsesWheelNamesWithAndWithoutBuildTag) {
  const auto plain = parse_wheel_name("demo_pkg-0.1.0-py3-none-any.whl");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->name, "demo_pkg");
  EXPECT_EQ(plain->version, "0.1.0");
  EXPECT_EQ(plain->build, "");
  EXPECT_EQ(plain->python_tag, "py3");
  EXPECT_EQ(plain->platform_tag, "any");
  const auto built = parse_wheel_name("demo-1.0-1build-cp311-cp311-linux_x86_64.whl");
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->build, "1build");
  EXPECT_EQ(built->python_tag, "cp311");
  EXPECT_FALSE(parse_wheel_name("demo-1.0-py3-none.whl").has_value());
  EXPECT_FALSE(parse_wheel_name("demo-1.0-x-py3-none-any.whl").has_value());  // build needs a digit
  EXPECT_EQ(wheel_pyversion("demo-1.0.whl"), "any");                          // twine's fallback
}

TEST(pypiDistNames, SplitsSdistNamesAtTheLastDash) {
  const auto sdist = parse_sdist_name("my-old-name-2.0.1.tar.gz");
  ASSERT_TRUE(sdist.has_value());
  EXPECT_EQ(sdist->name, "my-old-name");
  EXPECT_EQ(sdist->version, "2.0.1");
  EXPECT_EQ(parse_sdist_name("demo_pkg-0.1.0.zip")->version, "0.1.0");
  EXPECT_FALSE(parse_sdist_name("noversion.tar.gz").has_value());
  EXPECT_FALSE(parse_sdist_name("trailing-.tar.gz").has_value());
}

TEST(pypiDistNames, NormalizesProjectNames) {
  EXPECT_EQ(normalize_project_name("Demo_Pkg"), "demo-pkg");
  EXPECT_EQ(normalize_project_name("demo.-_pkg"), "demo-pkg");
  EXPECT_EQ(safe_project_name("demo_pkg"), "demo-pkg");  // what twine sends as `name`
  EXPECT_EQ(safe_project_name("Zope.Interface"), "Zope.Interface");
  EXPECT_EQ(safe_project_name("a  b__c"), "a-b-c");
  EXPECT_EQ(version_for_file_name("1.0-RC1"), "1.0_rc1");
}

TEST(pypiInspectDistribution, ReadsAWheel) {
  const auto dist = inspect_distribution(fixtures / "demo_pkg-0.1.0-py3-none-any.whl");
  EXPECT_EQ(dist.kind, DistKind::wheel);
  EXPECT_EQ(dist.filetype, "bdist_wheel");
  EXPECT_EQ(dist.pyversion, "py3");
  EXPECT_EQ(dist.metadata_path, "demo_pkg-0.1.0.dist-info/METADATA");
  EXPECT_EQ(dist.name(), "demo_pkg");
  EXPECT_EQ(dist.version(), "0.1.0");
  EXPECT_EQ(dist.metadata_version(), "2.1");
  EXPECT_EQ(dist.metadata.all("Classifier").size(), 2u);
  EXPECT_THAT(dist.metadata.description(), HasSubstr("A fixture."));
}

TEST(pypiInspectDistribution, ReadsTheTopLevelPkgInfoOfATarGzSdist) {
  // The fixture lists demo_pkg.egg-info/PKG-INFO (Version 9.9.9) before the top-level one.
  const auto dist = inspect_distribution(fixtures / "demo_pkg-0.1.0.tar.gz");
  EXPECT_EQ(dist.kind, DistKind::sdist_tar_gz);
  EXPECT_EQ(dist.filetype, "sdist");
  EXPECT_EQ(dist.pyversion, "source");
  EXPECT_EQ(dist.metadata_path, "demo_pkg-0.1.0/PKG-INFO");
  EXPECT_EQ(dist.version(), "0.1.0");
}

TEST(pypiInspectDistribution, ReadsAZipSdist) {
  const auto dist = inspect_distribution(fixtures / "demo_pkg-0.1.0.zip");
  EXPECT_EQ(dist.kind, DistKind::sdist_zip);
  EXPECT_EQ(dist.pyversion, "source");
  EXPECT_EQ(dist.version(), "0.1.0");
}

TEST(pypiInspectDistribution, TakesTheWheelsPythonTagFromItsName) {
  const auto dist = inspect_distribution(fixtures / "demo_pkg-0.2.0-cp311-cp311-linux_x86_64.whl");
  EXPECT_EQ(dist.pyversion, "cp311");
}

TEST(pypiInspectDistribution, RefusesWhatIsNoDistribution) {
  EXPECT_THAT(error_of(fixtures / "make_fixtures.py"),
              HasSubstr("make_fixtures.py: unknown distribution format"));
  EXPECT_THAT(error_of(fixtures / "missing-1.0.tar.gz"),
              HasSubstr("missing-1.0.tar.gz: no such file"));
  EXPECT_THAT(error_of(fixtures / "garbage-0.1.0-py3-none-any.whl"),
              HasSubstr("garbage-0.1.0-py3-none-any.whl: cannot read archive"));
}

TEST(pypiInspectDistribution, NamesWhatIsMissing) {
  EXPECT_THAT(error_of(fixtures / "nometa-0.1.0-py3-none-any.whl"),
              HasSubstr("no <name>-<version>.dist-info/METADATA in the wheel"));
  EXPECT_THAT(
      error_of(fixtures / "twotops-0.1.0.tar.gz"),
      HasSubstr("exactly one top-level directory, this one holds stray.txt, twotops-0.1.0"));
}

TEST(pypiInspectDistribution, AGzipOfNoTarIsRefused) {
  const auto file = std::filesystem::path{testing::TempDir()} / "fake-1.0.tar.gz";
  std::ofstream{file} << "plain text, not gzip";
  EXPECT_THAT(error_of(file), HasSubstr("fake-1.0.tar.gz: cannot read archive"));
}

TEST(pypiDistFiles, ExpandsGlobsAndPutsWheelsFirst) {
  const auto files = expand_dist_arguments({(fixtures / "demo_pkg-0.1.0*").string()});
  ASSERT_EQ(files.size(), 3u);
  const auto ordered = wheels_first(files);
  EXPECT_EQ(ordered[0].filename(), "demo_pkg-0.1.0-py3-none-any.whl");
  EXPECT_EQ(ordered[1].filename(), "demo_pkg-0.1.0.tar.gz");
  EXPECT_EQ(ordered[2].filename(), "demo_pkg-0.1.0.zip");
}

TEST(pypiDistFiles, DropsDuplicatesAndRefusesWhatDoesNotExist) {
  const auto wheel = (fixtures / "demo_pkg-0.1.0-py3-none-any.whl").string();
  EXPECT_EQ(expand_dist_arguments({wheel, wheel}).size(), 1u);
  EXPECT_THROW(expand_dist_arguments({(fixtures / "nothing-*.whl").string()}), DistributionError);
  EXPECT_THROW(expand_dist_arguments({(fixtures / "absent.whl").string()}), DistributionError);
}

// Every fixture but make_fixtures.py is named like a dist.
std::size_t fixture_dist_count() {
  const auto entries = std::distance(std::filesystem::directory_iterator(fixtures), {});
  return static_cast<std::size_t>(entries) - 1;
}

TEST(pypiDistFiles, ListsTheDistsOfAFolder) {
  const auto files = dists_in_directory(fixtures);
  EXPECT_EQ(files.size(), fixture_dist_count());
  EXPECT_TRUE(std::is_sorted(files.begin(), files.end()));
  const auto empty = std::filesystem::path{testing::TempDir()} / "pypi-empty-dist";
  std::filesystem::create_directories(empty);
  EXPECT_THROW(dists_in_directory(empty), DistributionError);
  EXPECT_THROW(dists_in_directory(empty / "missing"), DistributionError);
}

TEST(pypiDistFiles, SelectsArgumentsBeforeThePipelineFolder) {
  const auto wheel = (fixtures / "demo_pkg-0.1.0-py3-none-any.whl").string();
  EXPECT_EQ(select_dist_files({wheel}, fixtures).size(), 1u);
  EXPECT_EQ(select_dist_files({}, fixtures).size(), fixture_dist_count());
  EXPECT_THROW(select_dist_files({}, std::nullopt), DistributionError);
}

}  // namespace
}  // namespace dp::pypi
