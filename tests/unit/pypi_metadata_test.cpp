#include <gtest/gtest.h>

#include "pypi/dist/core_metadata.hpp"

namespace dp::pypi {
namespace {

TEST(pypiCoreMetadata, ReadsHeadersInOrderAndKeepsRepeatedOnes) {
  const auto metadata = parse_core_metadata(
      "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nClassifier: A\nClassifier: B\n");
  ASSERT_EQ(metadata.fields.size(), 5u);
  EXPECT_EQ(metadata.fields[0].name, "Metadata-Version");
  EXPECT_EQ(metadata.first("Name"), "demo");
  EXPECT_EQ(metadata.all("Classifier"), (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(metadata.body.empty());
}

TEST(pypiCoreMetadata, LooksUpNamesCaseInsensitively) {
  const auto metadata = parse_core_metadata("home-page: https://x.invalid\n");
  EXPECT_EQ(metadata.first("Home-page"), "https://x.invalid");
  EXPECT_EQ(metadata.first("HOME-PAGE"), "https://x.invalid");
  EXPECT_FALSE(metadata.first("Author").has_value());
  EXPECT_TRUE(metadata.all("Author").empty());
}

TEST(pypiCoreMetadata, KeepsContinuationLinesLikePythonsEmailParser) {
  // packaging.metadata.parse_email gives 'first line\n        second line\n        |third'.
  const auto metadata = parse_core_metadata(
      "Name: x\nDescription: first line\n        second line\n        |third\nLicense: MIT\n");
  EXPECT_EQ(metadata.first("Description"), "first line\n        second line\n        |third");
  EXPECT_EQ(metadata.first("License"), "MIT");
}

TEST(pypiCoreMetadata, TheBodyAfterTheFirstBlankLineIsTheDescription) {
  const auto metadata =
      parse_core_metadata("Name: x\nVersion: 1\n\nbody here\n\nKey: not a header\n");
  EXPECT_EQ(metadata.fields.size(), 2u);
  EXPECT_EQ(metadata.body, "body here\n\nKey: not a header\n");
  EXPECT_EQ(metadata.description(), metadata.body);
}

TEST(pypiCoreMetadata, DescriptionFallsBackToTheHeader) {
  EXPECT_EQ(parse_core_metadata("Name: x\nDescription: short\n").description(), "short");
  EXPECT_EQ(parse_core_metadata("Name: x\n").description(), "");
}

TEST(pypiCoreMetadata, AcceptsCrlfLineEndings) {
  const auto metadata = parse_core_metadata("Name: x\r\nVersion: 2.0\r\n\r\nbody\r\n");
  EXPECT_EQ(metadata.first("Name"), "x");
  EXPECT_EQ(metadata.first("Version"), "2.0");
  EXPECT_EQ(metadata.body, "body\r\n");
}

TEST(pypiCoreMetadata, TrimsValuesAndKeepsColonsInsideThem) {
  const auto metadata = parse_core_metadata("Classifier:   Topic :: Utilities  \nSummary:\n");
  EXPECT_EQ(metadata.first("Classifier"), "Topic :: Utilities");
  EXPECT_EQ(metadata.first("Summary"), "");
}

TEST(pypiCoreMetadata, ALineThatIsNoHeaderStartsTheBody) {
  // As Python's email parser does (MissingHeaderBodySeparatorDefect).
  const auto metadata = parse_core_metadata("Name: x\nnot a header\nVersion: 1\n");
  EXPECT_EQ(metadata.fields.size(), 1u);
  EXPECT_EQ(metadata.body, "not a header\nVersion: 1\n");
}

TEST(pypiCoreMetadata, EmptyInputHasNothing) {
  const auto metadata = parse_core_metadata("");
  EXPECT_TRUE(metadata.fields.empty());
  EXPECT_TRUE(metadata.body.empty());
}

}  // namespace
}  // namespace dp::pypi
