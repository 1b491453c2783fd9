#include <fmt/core.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <span>

#include "digest/digest.hpp"
#include "pypi/check/dist_check.hpp"
#include "pypi/check/dist_layout.hpp"
#include "pypi/check/wheel_record.hpp"
#include "pypi/check/wheel_tags_check.hpp"
#include "pypi/errors.hpp"

namespace dp::pypi {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

const std::filesystem::path fixtures = std::filesystem::path{DP_TEST_DATA_DIR} / "pypi";

CheckReport check_fixture(const char* file) {
  return check_distribution(fixtures / file);
}

TEST(pypiCheckDistribution, PassesTheGoodFixtures) {
  for (const char* file :
       {"demo_pkg-0.1.0-py3-none-any.whl", "demo_pkg-0.1.0.tar.gz", "demo_pkg-0.1.0.zip"}) {
    const auto report = check_fixture(file);
    EXPECT_TRUE(report.passed(true)) << file;
    EXPECT_THAT(report.errors, IsEmpty()) << file;
    EXPECT_THAT(report.warnings, IsEmpty()) << file;
    ASSERT_TRUE(report.distribution.has_value());
    EXPECT_EQ(report.distribution->name(), "demo_pkg");
  }
}

TEST(pypiCheckDistribution, UnreadableFilesGetOneErrorAndNoDistribution) {
  const struct {
    const char* file;
    const char* reason;
  } cases[] = {
      {"garbage-0.1.0-py3-none-any.whl", "not a zip file, or a truncated one"},
      {"truncated-0.1.0-py3-none-any.whl", "not a zip file, or a truncated one"},
      {"truncated-0.1.0.tar.gz", "cannot read archive: truncated gzip input"},
      {"empty-0.1.0.tar.gz", "empty file, not an archive"},
      {"make_fixtures.py", "unknown distribution format"},
      {"missing-1.0.tar.gz", "no such file"},
  };
  for (const auto& [file, reason] : cases) {
    const auto report = check_fixture(file);
    EXPECT_THAT(report.errors, ElementsAre(HasSubstr(reason))) << file;
    EXPECT_FALSE(report.distribution.has_value()) << file;
    EXPECT_EQ(report.file, fixtures / file);
  }
}

TEST(pypiCheckDistribution, ChecksTheRecordAgainstTheWheelsFiles) {
  EXPECT_THAT(check_fixture("bad_hash-0.1.0-py3-none-any.whl").errors,
              ElementsAre(AllOf(HasSubstr("RECORD line 1: sha256 of bad_hash/__init__.py"),
                                HasSubstr("does not match"))));
  EXPECT_THAT(check_fixture("bad_size-0.1.0-py3-none-any.whl").errors,
              ElementsAre(HasSubstr("size of bad_size/__init__.py does not match: RECORD says "
                                    "23, the file has 22 bytes")));
  EXPECT_THAT(check_fixture("unlisted-0.1.0-py3-none-any.whl").errors,
              ElementsAre(HasSubstr("RECORD does not list unlisted/__init__.py")));
}

TEST(pypiCheckDistribution, WantsOneDistInfoFolderWithItsFiles) {
  EXPECT_THAT(check_fixture("two_infos-0.1.0-py3-none-any.whl").errors,
              ElementsAre(HasSubstr("one .dist-info folder, this one has 2: "
                                    "other-1.0.dist-info, two_infos-0.1.0.dist-info")));
  EXPECT_THAT(check_fixture("nometa-0.1.0-py3-none-any.whl").errors,
              ElementsAre(HasSubstr("no <name>-<version>.dist-info folder")));
}

TEST(pypiCheckDistribution, WantsOneSdistFolderNamedAfterTheMetadataWithPkgInfo) {
  EXPECT_THAT(check_fixture("twotops-0.1.0.tar.gz").errors,
              Contains(HasSubstr("exactly one top-level folder, this one holds 2: stray.txt, "
                                 "twotops-0.1.0")));
  EXPECT_THAT(check_fixture("no_pkg_info-0.1.0.tar.gz").errors,
              ElementsAre(HasSubstr("no no_pkg_info-0.1.0/PKG-INFO in the sdist")));
  EXPECT_THAT(check_fixture("wrong_root-0.1.0.tar.gz").errors,
              ElementsAre(HasSubstr("other-0.1.0 is not wrong_root-0.1.0")));
}

TEST(pypiCheckDistribution, RefusesAnSdistHoldingWhatThePipelineAddsToTheContext) {
  EXPECT_THAT(check_fixture("with_wheelhouse-0.1.0.tar.gz").errors,
              ElementsAre(AllOf(HasSubstr("the sdist holds 2 files under .docker-pipeline/"),
                                HasSubstr("WHEELHOUSE"), HasSubstr("sdist.exclude"))));
}

TEST(pypiCheckDistribution, FailsAFileNameThatNamesAnotherProject) {
  const auto report = check_fixture("other_name-0.1.0-py3-none-any.whl");
  EXPECT_THAT(
      report.errors,
      ElementsAre(HasSubstr("names project 'other_name' but its metadata says 'demo_pkg'")));
}

TEST(pypiCheckDistribution, FailsMissingOrInvalidVersions) {
  EXPECT_THAT(check_fixture("demo_pkg-0.2.0-cp311-cp311-linux_x86_64.whl").errors,
              ElementsAre(HasSubstr("has no Version")));
  EXPECT_THAT(check_fixture("bad_version-not.a.version-py3-none-any.whl").errors,
              ElementsAre(HasSubstr("Version is not PEP 440: invalid version 'not.a.version'")));
}

TEST(pypiCheckDistribution, JudgesTheDescriptionLikeTwine) {
  EXPECT_THAT(check_fixture("html_desc-0.1.0-py3-none-any.whl").errors,
              ElementsAre(HasSubstr("Description-Content-Type 'text/html' cannot be rendered")));
  EXPECT_THAT(check_fixture("bad_rst-0.1.0-py3-none-any.whl").errors,
              ElementsAre(AllOf(HasSubstr("would not be rendered on PyPI"),
                                HasSubstr("line 5: Title underline too short."),
                                HasSubstr("line 7: Inline emphasis start-string"))));
  const auto missing = check_fixture("no_desc-0.1.0-py3-none-any.whl");
  EXPECT_TRUE(missing.passed());
  EXPECT_FALSE(missing.passed(/*strict=*/true));
  EXPECT_THAT(missing.warnings, ElementsAre(HasSubstr("`long_description_content_type` missing"),
                                            HasSubstr("`long_description` missing")));
}

Distribution wheel(const std::string& file_name, const std::string& metadata) {
  Distribution dist;
  dist.path = file_name;
  dist.kind = DistKind::wheel;
  dist.metadata_path = "x.dist-info/METADATA";
  dist.metadata = parse_core_metadata(metadata);
  return dist;
}

constexpr const char* described = "Description-Content-Type: text/plain\n\nText.\n";

TEST(pypiCheckDistribution, ComparesNamesAndVersionsNormalized) {
  const auto report = check_distribution(
      wheel("Demo.Pkg-1.0rc1-py3-none-any.whl",
            std::string{"Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.0.0RC1\n"} + described));
  EXPECT_TRUE(report.passed(true)) << report.errors.front();
  const auto mismatch = check_distribution(
      wheel("demo-1.0-py3-none-any.whl",
            std::string{"Metadata-Version: 2.1\nName: demo\nVersion: 1.0.post1\n"} + described));
  EXPECT_THAT(mismatch.errors,
              ElementsAre(HasSubstr("names version '1.0' but its metadata says '1.0.post1'")));
}

TEST(pypiCheckDistribution, ReportsMissingFieldsRepeatsAndUnknowns) {
  const auto report = check_distribution(
      wheel("demo-1.0-py3-none-any.whl",
            std::string{"Name: demo\nVersion: 1.0\nName: again\nX-Custom: y\n"} + described));
  EXPECT_THAT(report.errors,
              ElementsAre(HasSubstr("has no Metadata-Version"), HasSubstr("Name appears 2 times")));
  EXPECT_THAT(report.warnings, ElementsAre(HasSubstr("unknown field X-Custom")));
}

TEST(pypiCheckDistribution, AcceptsMetadata25ImportNames) {
  const auto report = check_distribution(
      wheel("demo-1.0-py3-none-any.whl",
            std::string{"Metadata-Version: 2.5\nName: demo\nVersion: 1.0\nImport-Name: demo\n"
                        "Import-Namespace: demo_ns\n"} +
                described));
  EXPECT_TRUE(report.passed(/*strict=*/true)) << testing::PrintToString(report.warnings);
}

std::string metadata_of_version(const std::string& metadata_version, const std::string& more = "") {
  return fmt::format("Metadata-Version: {}\nName: demo\nVersion: 1.0\n{}\nText.\n",
                     metadata_version, more);
}

TEST(pypiCheckDistribution, AcceptsThePublishedMetadataVersions) {
  for (const char* published : {"1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5"}) {
    const auto report =
        check_distribution(wheel("demo-1.0-py3-none-any.whl", metadata_of_version(published)));
    EXPECT_THAT(report.errors, IsEmpty()) << published;
  }
  for (const char* unpublished : {"2.0", "1.3", "2", "two", "2.1.0"}) {
    const auto report =
        check_distribution(wheel("demo-1.0-py3-none-any.whl", metadata_of_version(unpublished)));
    EXPECT_THAT(report.errors,
                ElementsAre(HasSubstr(fmt::format(
                    "Metadata-Version {} is not one of 1.0, 1.1, 1.2, 2.1 to 2.5", unpublished))));
  }
}

TEST(pypiCheckDistribution, ReadsANewerMinorMetadataVersionWithAWarningNamingItsNewFields) {
  const auto dist = wheel("demo-1.0-py3-none-any.whl",
                          metadata_of_version("2.9", "Import-Name: demo\nShiny-Field: yes\n"));
  const auto report = check_distribution(dist);
  EXPECT_THAT(report.errors, IsEmpty());
  EXPECT_THAT(report.warnings, Contains(AllOf(HasSubstr("Metadata-Version 2.9 is newer than 2.5"),
                                              HasSubstr("not uploaded: Shiny-Field"))));
  EXPECT_THAT(report.warnings, Not(Contains(HasSubstr("unknown field"))));
  EXPECT_THAT(check_uploadable(dist).errors, IsEmpty());
}

TEST(pypiCheckDistribution, RefusesANewerMajorMetadataVersion) {
  const auto dist = wheel("demo-1.0-py3-none-any.whl", metadata_of_version("3.0"));
  const auto expected = ElementsAre(
      HasSubstr("Metadata-Version 3.0 is a new major version that this docker-pipeline cannot "
                "read (it reads up to 2.5); upgrade docker-pipeline"));
  EXPECT_THAT(check_distribution(dist).errors, expected);
  EXPECT_THAT(check_uploadable(dist).errors, expected);
}

TEST(pypiCheckDistribution, RefusesAFieldNewerThanTheDeclaredMetadataVersion) {
  const auto report = check_distribution(wheel(
      "demo-1.0-py3-none-any.whl",
      metadata_of_version("2.1", "License-Expression: MIT\nImport-Name: demo\nLicense-File: L\n")));
  EXPECT_THAT(report.errors,
              ElementsAre(HasSubstr("License-Expression came with Metadata-Version 2.4; the file "
                                    "declares 2.1"),
                          HasSubstr("Import-Name came with Metadata-Version 2.5")));
}

TEST(pypiCheckDistribution, NamesEachNewerFieldOnceAndOnlyWarnsOfItOnUpload) {
  const auto dist = wheel("demo-1.0-py3-none-any.whl",
                          metadata_of_version("1.0", "Classifier: A\nClassifier: B\n"));
  EXPECT_THAT(check_distribution(dist).errors,
              ElementsAre(HasSubstr("Classifier came with Metadata-Version 1.1; the file declares "
                                    "1.0")));
  const auto uploadable = check_uploadable(dist);
  EXPECT_THAT(uploadable.errors, IsEmpty());
  EXPECT_THAT(uploadable.warnings,
              ElementsAre(AllOf(HasSubstr("Classifier came with Metadata-Version 1.1"),
                                HasSubstr("PyPI refuses such a file; this index may take it"))));
}

CheckFindings wheel_layout_with(const std::string& wheel_file) {
  DistScan scan;
  for (const char* file : {"METADATA", "WHEEL", "RECORD"}) {
    scan.entries.push_back({fmt::format("demo-1.0.dist-info/{}", file), true, 1, ""});
    scan.kept.emplace(fmt::format("demo-1.0.dist-info/{}", file), "");
  }
  scan.kept["demo-1.0.dist-info/WHEEL"] = wheel_file;
  CheckFindings findings;
  check_wheel_layout(scan, "demo-1.0-py3-none-any.whl", findings);
  return findings;
}

TEST(pypiCheckDistribution, ReadsANewerMinorWheelVersionWithAWarningAndRefusesANewerMajor) {
  const auto known = wheel_layout_with("Wheel-Version: 1.0\n");
  EXPECT_THAT(known.errors, IsEmpty());
  EXPECT_THAT(known.warnings, IsEmpty());
  const auto newer_minor = wheel_layout_with("Wheel-Version: 1.9\n");
  EXPECT_THAT(newer_minor.errors, IsEmpty());
  EXPECT_THAT(newer_minor.warnings,
              ElementsAre(HasSubstr("WHEEL: Wheel-Version 1.9 is newer than 1.0")));
  EXPECT_THAT(wheel_layout_with("Wheel-Version: 2.0\n").errors,
              ElementsAre(HasSubstr("WHEEL: Wheel-Version 2.0 is not 1.x (pip refuses it)")));
  EXPECT_THAT(wheel_layout_with("Generator: x\n").errors,
              ElementsAre(HasSubstr("WHEEL has no Wheel-Version")));
}

TEST(pypiCheckDistribution, FailsBadlyFormedFileNames) {
  const auto report = check_distribution(
      wheel("demo-1.0.whl",
            std::string{"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"} + described));
  EXPECT_THAT(report.errors, ElementsAre(HasSubstr("is not <name>-<version>")));
}

TEST(pypiWheelRecord, ParsesQuotedCsvRows) {
  const auto rows = parse_record(
      "a/b.py,sha256=abc,12\r\n\"dir/with,comma "
      "\"\"q\"\".txt\",sha256=x,1\nx.dist-info/RECORD,,\n");
  ASSERT_THAT(rows, SizeIs(3));
  EXPECT_EQ(rows[1].path, "dir/with,comma \"q\".txt");
  EXPECT_EQ(rows[1].line, 2U);
  EXPECT_EQ(rows[2].hash, "");
  EXPECT_THROW(parse_record("only,two\n"), DistributionError);
  EXPECT_THROW(parse_record("\"unterminated,a,1\n"), DistributionError);
}

TEST(pypiWheelRecord, RefusesWeakHashesAndListsMissingFiles) {
  DistScan scan;
  scan.entries = {{"p/a.py", true, 3, "sha-a"}, {"p/b.py", true, 1, "sha-b"}};
  scan.kept["p.dist-info/RECORD"] =
      "p/a.py,md5=xyz,3\np/b.py,sha512=zz,1\np/gone.py,sha256=q,1\np.dist-info/RECORD,,\n";
  const auto findings = check_wheel_record(scan, "p.dist-info/RECORD");
  EXPECT_THAT(findings.errors,
              ElementsAre(HasSubstr("p/a.py is hashed with md5"),
                          HasSubstr("lists p/gone.py, which is not in the wheel")));
  EXPECT_THAT(findings.warnings, ElementsAre(HasSubstr("p/b.py is hashed with sha512; not "
                                                       "verified")));
}

TEST(pypiWheelRecord, EncodesDigestsAsUnpaddedUrlsafeBase64) {
  const std::uint8_t bytes[] = {0xfb, 0xff, 0xfe, 0x01};
  const auto encoded = [&bytes](std::size_t size) {
    return digest::Hasher::to_urlsafe_base64(std::span{bytes, size});
  };
  EXPECT_EQ(encoded(3), "-__-");
  EXPECT_EQ(encoded(4), "-__-AQ");
  EXPECT_EQ(encoded(2), "-_8");
}

TEST(pypiCheckWheelTags, TheNamesTagsAreTheWheelFilesTagLines) {
  EXPECT_THAT(check_fixture("tag_mismatch-0.1.0-cp311-cp311-manylinux_2_17_x86_64.whl").errors,
              ElementsAre(HasSubstr("the file name's tags and tag_mismatch-0.1.0.dist-info/WHEEL's "
                                    "Tag: lines disagree: cp311-cp311-manylinux_2_17_x86_64 in the "
                                    "name only, py3-none-any in WHEEL only")));
}

TEST(pypiCheckWheelTags, APurelibWheelHoldsNoCompiledModule) {
  EXPECT_THAT(
      check_fixture("purelib_so-0.1.0-cp311-cp311-manylinux_2_17_x86_64.whl").errors,
      ElementsAre(HasSubstr("WHEEL says Root-Is-Purelib: true, but the wheel holds the compiled "
                            "module purelib_so/_speed.cpython-311-x86_64-linux-gnu.so")));
}

TEST(pypiCheckWheelTags, LinuxPlatformTagsAreWhatPypiRefuses) {
  const char* linux_wheel = "linux_tag-0.1.0-cp311-cp311-linux_x86_64.whl";
  EXPECT_THAT(check_fixture(linux_wheel).errors, IsEmpty());  // any other index takes it
  EXPECT_THAT(platforms_pypi_refuses(linux_wheel), ElementsAre("linux_x86_64"));
  EXPECT_THAT(platforms_pypi_refuses("x-1-cp311-cp311-manylinux2014_x86_64.linux_x86_64.whl"),
              ElementsAre("linux_x86_64"));
  EXPECT_THAT(platforms_pypi_refuses("x-1-cp311-cp311-linux_armv7l.whl"), IsEmpty());
  EXPECT_THAT(platforms_pypi_refuses("x-1-cp311-cp311-manylinux_2_17_x86_64.whl"), IsEmpty());
  EXPECT_THAT(platforms_pypi_refuses("x-1.tar.gz"), IsEmpty());
  EXPECT_THAT(refused_platform_problem(linux_wheel),
              AllOf(HasSubstr("platform tag linux_x86_64 is refused by PyPI and TestPyPI"),
                    HasSubstr("auditwheel repair")));

  Distribution dist;
  dist.path = fixtures / linux_wheel;
  EXPECT_THROW(require_index_platforms({dist}, "https://upload.pypi.org/legacy/"),
               DistributionError);
  EXPECT_THROW(require_index_platforms({dist}, "https://test.pypi.org/legacy/"), DistributionError);
  EXPECT_NO_THROW(require_index_platforms({dist}, "http://127.0.0.1:8080/"));
}

}  // namespace
}  // namespace dp::pypi
