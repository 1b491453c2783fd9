#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "digest/file_digests.hpp"
#include "pypi/dist/distribution.hpp"
#include "pypi/upload/upload_form.hpp"

namespace dp::pypi {
namespace {

using ::testing::Contains;
using ::testing::Not;
using ::testing::UnorderedElementsAreArray;

const std::filesystem::path fixtures = std::filesystem::path{DP_TEST_DATA_DIR} / "pypi";

// What twine 7.0.0 sends for the fixtures, from
// Repository._convert_metadata_to_list_of_tuples(PackageFile.from_filename(f).metadata_dictionary()),
// plus the fields twine adds itself (:action, protocol_version).
std::vector<FormField> twine_fields_common() {
  return {
      {"name", "demo-pkg"},
      {"summary", "A tiny package used by the DockerPipeline unit tests"},
      {"keywords", "demo, fixture testing"},
      {"author_email", "demo@example.invalid"},
      {"home_page", "https://example.invalid/demo_pkg"},
      {"description_content_type", "text/markdown"},
      {"project_urls", "Source, https://example.invalid/src"},
      {"project_urls", "Tracker, https://example.invalid/issues"},
      {"author", "Demo Author"},
      {"license", "MIT"},
      {"requires_dist", "requests>=2; extra == \"http\""},
      {"metadata_version", "2.1"},
      {"version", "0.1.0"},
      {"provides_extra", "http"},
      {"requires_python", ">=3.8"},
      {"classifiers", "Programming Language :: Python :: 3"},
      {"classifiers", "License :: OSI Approved :: MIT License"},
      {"description", "# demo_pkg\n\nA fixture. Second paragraph\nspans two lines.\n"},
      {":action", "file_upload"},
      {"protocol_version", "1"},
  };
}

std::vector<FormField> form_of(const std::string& file, std::optional<std::string> comment = {}) {
  const auto dist = inspect_distribution(fixtures / file);
  return upload_form_fields(dist, digest::compute_file_digests(dist.path), comment);
}

// Values of one field name, in the order sent.
std::vector<std::string> values_of(const std::vector<FormField>& fields, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& field : fields) {
    if (field.name == name) values.push_back(field.value);
  }
  return values;
}

TEST(pypiUploadForm, OfTheWheelIsWhatTwineSends) {
  auto expected = twine_fields_common();
  expected.push_back({"pyversion", "py3"});
  expected.push_back({"filetype", "bdist_wheel"});
  expected.push_back(
      {"sha256_digest", "a873ac59969d013b90f6dffa91a144ef77b1897326c592d6e1f7f06d5c4db5aa"});
  expected.push_back(
      {"blake2_256_digest", "25bb365d48c5a5081f06e563e9ffa77a1f8d3689b1b20209d0c361b6267f80b7"});
  const auto fields = form_of("demo_pkg-0.1.0-py3-none-any.whl");
  EXPECT_THAT(fields, UnorderedElementsAreArray(expected));
  // Repeated fields keep the metadata's order.
  EXPECT_EQ(values_of(fields, "classifiers"), values_of(expected, "classifiers"));
}

TEST(pypiUploadForm, OfTheSdistIsWhatTwineSends) {
  auto expected = twine_fields_common();
  expected.push_back({"pyversion", "source"});
  expected.push_back({"filetype", "sdist"});
  expected.push_back(
      {"sha256_digest", "75960b948466cc3286d1ef049b888cb4496e67ea6ba4fbead6734249bded754e"});
  expected.push_back(
      {"blake2_256_digest", "f8c509e6bbd9cea3886a489470b63702177f318b208e13ac218e9962a0a0d741"});
  EXPECT_THAT(form_of("demo_pkg-0.1.0.tar.gz"), UnorderedElementsAreArray(expected));
}

TEST(pypiUploadForm, CarriesTheComment) {
  EXPECT_THAT(form_of("demo_pkg-0.1.0.tar.gz", "built by CI"),
              Contains(FormField{"comment", "built by CI"}));
  const auto without = form_of("demo_pkg-0.1.0.tar.gz");
  EXPECT_TRUE(values_of(without, "comment").empty());
}

Distribution with_metadata(const std::string& text) {
  Distribution dist;
  dist.path = "x-1.0-py3-none-any.whl";
  dist.filetype = "bdist_wheel";
  dist.pyversion = "py3";
  dist.metadata = parse_core_metadata(text);
  return dist;
}

TEST(pypiUploadForm, MapsEveryKnownHeaderToTwinesFormName) {
  const auto fields = upload_form_fields(
      with_metadata("Metadata-Version: 2.4\nName: x\nVersion: 1.0\nPlatform: linux\n"
                    "Supported-Platform: sp\nDownload-URL: d\nRequires: r\nProvides: p\n"
                    "Obsoletes: o\nMaintainer: m\nMaintainer-email: me\nProvides-Dist: pd\n"
                    "Obsoletes-Dist: od\nRequires-External: re\nDynamic: Requires-Dist\n"
                    "License-Expression: MIT\nLicense-File: LICENSE\nLicense-File: NOTICE\n"
                    "X-Unknown: dropped\n"),
      {}, std::nullopt);
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"platform", "linux"},
                                                        {"supported_platform", "sp"},
                                                        {"download_url", "d"},
                                                        {"requires", "r"},
                                                        {"provides", "p"},
                                                        {"obsoletes", "o"},
                                                        {"maintainer", "m"},
                                                        {"maintainer_email", "me"},
                                                        {"provides_dist", "pd"},
                                                        {"obsoletes_dist", "od"},
                                                        {"requires_external", "re"},
                                                        {"dynamic", "Requires-Dist"},
                                                        {"license_expression", "MIT"}}) {
    EXPECT_EQ(values_of(fields, name), std::vector<std::string>{value}) << name;
  }
  EXPECT_EQ(values_of(fields, "license_file"), (std::vector<std::string>{"LICENSE", "NOTICE"}));
  EXPECT_THAT(fields, Not(Contains(FormField{"X-Unknown", "dropped"})));
  EXPECT_EQ(fields.size(), 18u + 6u);  // 18 from the metadata, 6 added (no comment)
}

TEST(pypiUploadForm, DropsLicenseFilesBeforeMetadata24) {
  const auto fields = upload_form_fields(
      with_metadata("Metadata-Version: 2.1\nName: x\nVersion: 1.0\nLicense-File: LICENSE\n"), {},
      std::nullopt);
  EXPECT_TRUE(values_of(fields, "license_file").empty());
}

TEST(pypiUploadForm, UsesTheDescriptionHeaderWithoutABodyAndSendsNoEmptyOne) {
  const auto with_header = upload_form_fields(
      with_metadata("Name: x\nVersion: 1\nDescription: line one\n        line two\n"), {},
      std::nullopt);
  EXPECT_EQ(values_of(with_header, "description"),
            std::vector<std::string>{"line one\n        line two"});
  const auto without = upload_form_fields(with_metadata("Name: x\nVersion: 1\n"), {}, std::nullopt);
  EXPECT_TRUE(values_of(without, "description").empty());
}

TEST(pypiUploadForm, SendsARepeatedSingleValuedHeaderOnce) {
  const auto fields = upload_form_fields(
      with_metadata("Name: x\nVersion: 1\nSummary: first\nSummary: second\n"), {}, std::nullopt);
  EXPECT_EQ(values_of(fields, "summary"), std::vector<std::string>{"first"});
}

TEST(pypiUploadForm, KnowsTheFormNames) {
  EXPECT_EQ(form_name_of("home-page"), "home_page");
  EXPECT_EQ(form_name_of("Classifier"), "classifiers");
  EXPECT_EQ(form_name_of("License-File"), "license_file");
  EXPECT_FALSE(form_name_of("Wheel-Version").has_value());
  // Metadata 2.5's fields, which twine 7 reads but does not send.
  EXPECT_FALSE(form_name_of("Import-Name").has_value());
  EXPECT_FALSE(form_name_of("Import-Namespace").has_value());
}

TEST(pypiUploadForm, SendsWhatItKnowsOfANewerMinorMetadataVersion) {
  const auto fields = upload_form_fields(
      with_metadata("Metadata-Version: 2.9\nName: x\nVersion: 1\nImport-Name: x\n"
                    "Shiny-Field: y\nLicense-File: LICENSE\n"),
      {}, std::nullopt);
  EXPECT_EQ(values_of(fields, "metadata_version"), std::vector<std::string>{"2.9"});
  EXPECT_EQ(values_of(fields, "license_file"), std::vector<std::string>{"LICENSE"});
  for (const auto& field : fields) {
    EXPECT_NE(field.name, "shiny_field");
    EXPECT_NE(field.value, "y");
  }
}

}  // namespace
}  // namespace dp::pypi
