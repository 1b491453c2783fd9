#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "version/pep440.hpp"

namespace dp::version {
namespace {

using ::testing::HasSubstr;

struct NormalizationCase {
  std::string input;
  std::string expected;
};

// Test names and failure messages show the case, not its bytes.
void PrintTo(const NormalizationCase& c, std::ostream* out) {
  *out << '"' << c.input << "\" -> \"" << c.expected << '"';
}

// Expected values are what Python's packaging.version.Version gives.
const std::vector<NormalizationCase> kNormalizationCases = {
    {"1.0", "1.0"},
    {"  1.0\n", "1.0"},
    {"v1.0", "1.0"},
    {"V1.0", "1.0"},
    {"1.0.0", "1.0.0"},
    {"01.002.0003", "1.2.3"},
    {"1!2.0", "1!2.0"},
    {"0!1.0", "1.0"},
    {"1.0-BETA.1", "1.0b1"},
    {"1.0a", "1.0a0"},
    {"1.0-beta", "1.0b0"},
    {"1.0alpha1", "1.0a1"},
    {"1.0.a.1", "1.0a1"},
    {"1.0-a-1", "1.0a1"},
    {"1.0_a_1", "1.0a1"},
    {"1.0b2", "1.0b2"},
    {"1.0c1", "1.0rc1"},
    {"1.0pre1", "1.0rc1"},
    {"1.0preview2", "1.0rc2"},
    {"1.0-rc.3", "1.0rc3"},
    {"1.0RC", "1.0rc0"},
    {"1.0.post", "1.0.post0"},
    {"1.0-1", "1.0.post1"},
    {"1.0.post1", "1.0.post1"},
    {"1.0post2", "1.0.post2"},
    {"1.0-post-3", "1.0.post3"},
    {"1.0rev4", "1.0.post4"},
    {"1.0r", "1.0.post0"},
    {"1.0-r5", "1.0.post5"},
    {"1.0dev", "1.0.dev0"},
    {"1.0.dev", "1.0.dev0"},
    {"1.0-dev-7", "1.0.dev7"},
    {"1.0DEV8", "1.0.dev8"},
    {"1.0+ubuntu-1", "1.0+ubuntu.1"},
    {"1.0+UBUNTU_1.2", "1.0+ubuntu.1.2"},
    {"1.0+01", "1.0+1"},
    {"1.0+abc.007", "1.0+abc.7"},
    {"1.0a1.post2.dev3+local", "1.0a1.post2.dev3+local"},
    {"1.0a--1", "1.0a0.post1"},
    {"1.0a.", "1.0a0"},  // packaging accepts a separator after a bare label
    {"1.0-dev-", "1.0.dev0"},
    {"2012.04", "2012.4"},
    {"1.0rc01", "1.0rc1"},
    {"1.0.post.dev", "1.0.post0.dev0"},
    {"v1!1.0.dev0", "1!1.0.dev0"},
    {"1.0b2-3", "1.0b2.post3"},
    {"1.0a0", "1.0a0"},
    {"0", "0"},
    {"1.0.00", "1.0.0"},
    {"18446744073709551615", "18446744073709551615"},
};

class NormalizeTest : public ::testing::TestWithParam<NormalizationCase> {};

TEST_P(NormalizeTest, GivesCanonicalForm) {
  EXPECT_EQ(normalize(GetParam().input), GetParam().expected);
}

TEST_P(NormalizeTest, CanonicalFormIsAFixedPoint) {
  EXPECT_EQ(normalize(GetParam().expected), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(version, NormalizeTest, ::testing::ValuesIn(kNormalizationCases));

// All of these are rejected by packaging.version.Version too.
const std::vector<std::string> kInvalidVersions = {
    "",          "   ",       "1.0-beta!", "v",       "vv1.0",   "1.0+",
    "1.0+abc.",  "1.0+abc+d", "a1.0",      "1.x",     "1.0-",    "1.0.",
    "1.0gamma",  "1!",        "!1.0",      "1.0 a",   "1.0a1a",  "1.0.dev1.post1",
    "1.0rc1rc2", "1..0",      "1.0_",      "1.0+a b", "1.0-1-1", "1.0\x01",
};

class InvalidVersionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidVersionTest, IsRejected) {
  EXPECT_THROW(parse(GetParam()), VersionError);
}

INSTANTIATE_TEST_SUITE_P(version, InvalidVersionTest, ::testing::ValuesIn(kInvalidVersions));

std::string error_of(std::string_view text) {
  try {
    parse(text);
  } catch (const VersionError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(version, ErrorPointsAtTheOffendingCharacter) {
  EXPECT_EQ(error_of("1.0-beta!"), "invalid version '1.0-beta!': unexpected '!' at position 8");
  EXPECT_EQ(error_of("1.0 a"), "invalid version '1.0 a': unexpected 'a' at position 4");
  EXPECT_EQ(error_of("1.0+abc."), "invalid version '1.0+abc.': unexpected '.' at position 7");
}

TEST(version, ErrorSaysWhatWasExpected) {
  EXPECT_EQ(error_of(""), "invalid version '': empty version string");
  EXPECT_EQ(error_of("x1"),
            "invalid version 'x1': expected a release number at position 0, found 'x'");
  EXPECT_EQ(error_of("1!"),
            "invalid version '1!': expected a release number after the epoch at position 2");
  EXPECT_EQ(error_of("1.0+"),
            "invalid version '1.0+': expected a local version label after '+' at position 4");
}

TEST(version, ErrorNamesUnprintableBytes) {
  EXPECT_THAT(error_of("1.0\x01"), HasSubstr("unexpected byte 0x01 at position 3"));
}

TEST(version, ErrorRejectsNumbersBeyond64Bits) {
  EXPECT_THAT(error_of("1.18446744073709551616"), HasSubstr("number too large at position 2"));
}

TEST(version, ParseFillsEveryPart) {
  const auto v = parse("2!1.2.3rc4.post5.dev6+Ab.07");
  EXPECT_EQ(v.epoch, 2u);
  EXPECT_EQ(v.release, (std::vector<std::uint64_t>{1, 2, 3}));
  ASSERT_TRUE(v.pre.has_value());
  EXPECT_EQ(v.pre->first, "rc");
  EXPECT_EQ(v.pre->second, 4u);
  EXPECT_EQ(v.post, 5u);
  EXPECT_EQ(v.dev, 6u);
  EXPECT_EQ(v.local, (std::vector<std::string>{"ab", "7"}));
}

TEST(version, ParseLeavesAbsentPartsEmpty) {
  const auto v = parse("3");
  EXPECT_EQ(v.epoch, 0u);
  EXPECT_EQ(v.release, (std::vector<std::uint64_t>{3}));
  EXPECT_FALSE(v.pre.has_value());
  EXPECT_FALSE(v.post.has_value());
  EXPECT_FALSE(v.dev.has_value());
  EXPECT_TRUE(v.local.empty());
}

int compare_text(std::string_view a, std::string_view b) {
  return compare(parse(a), parse(b));
}

// In PEP 440 order, as packaging sorts it.
const std::vector<std::string> kOrdered = {
    "1.0.dev0",       "1.0a1.dev0", "1.0a1",     "1.0a1.post1.dev0",
    "1.0a1.post1",    "1.0a2",      "1.0b1",     "1.0b2.post3",
    "1.0rc1",         "1.0",        "1.0+abc",   "1.0+abc.1",
    "1.0+abc.2",      "1.0+abc.10", "1.0+1",     "1.0+2.a",
    "1.0.post1.dev0", "1.0.post1",  "1.0.post2", "1.0.1",
    "1.1.dev0",       "1.1",        "1.10",      "2.0",
    "1!0.1",          "1!1.0",
};

TEST(version, CompareSortingGivesPep440Order) {
  std::vector<Version> versions;
  for (const auto& text : kOrdered) versions.push_back(parse(text));
  std::mt19937 random{42};
  for (int round = 0; round < 10; ++round) {
    std::shuffle(versions.begin(), versions.end(), random);
    std::sort(versions.begin(), versions.end(),
              [](const Version& a, const Version& b) { return compare(a, b) < 0; });
    std::vector<std::string> sorted;
    for (const auto& v : versions) sorted.push_back(to_string(v));
    EXPECT_EQ(sorted, kOrdered);
  }
}

TEST(version, CompareIsAntisymmetricOverTheWholeOrder) {
  for (std::size_t i = 0; i < kOrdered.size(); ++i) {
    for (std::size_t j = 0; j < kOrdered.size(); ++j) {
      const int expected = i < j ? -1 : (i > j ? 1 : 0);
      EXPECT_EQ(compare_text(kOrdered[i], kOrdered[j]), expected)
          << kOrdered[i] << " vs " << kOrdered[j];
    }
  }
}

TEST(version, CompareTrailingZerosDoNotMatter) {
  EXPECT_EQ(compare_text("1.0", "1.0.0"), 0);
  EXPECT_EQ(compare_text("1", "1.0.0.0"), 0);
  EXPECT_EQ(compare_text("1.0.0.1", "1.0"), 1);
}

TEST(version, CompareSpellingsAndCaseDoNotMatter) {
  EXPECT_EQ(compare_text("1.0-BETA.1", "1.0b1"), 0);
  EXPECT_EQ(compare_text("1.0+ABC.01", "1.0+abc.1"), 0);
  EXPECT_EQ(compare_text("v1.0-1", "1.0.post1"), 0);
}

TEST(version, CompareEpochOutweighsRelease) {
  EXPECT_EQ(compare_text("1!1.0", "2.0"), 1);
  EXPECT_EQ(compare_text("2020.1", "1!0.0.1"), -1);
}

TEST(version, CompareLocalVersionsSortAfterTheirPublicVersion) {
  EXPECT_EQ(compare_text("1.0", "1.0+anything"), -1);
  EXPECT_EQ(compare_text("1.0+zzz", "1.0.post1"), -1);
  EXPECT_EQ(compare_text("1.0+a", "1.0+a.b"), -1);
  EXPECT_EQ(compare_text("1.0+abc", "1.0+1"), -1);  // alphanumeric segments before numeric
  EXPECT_EQ(compare_text("1.0+9", "1.0+10"), -1);   // numeric segments by value
}

TEST(version, CompareHugeLocalNumbersCompareByValue) {
  EXPECT_EQ(compare_text("1.0+99999999999999999999", "1.0+100000000000000000000"), -1);
}

TEST(version, IsLocalTellsWhetherThereIsALocalLabel) {
  EXPECT_TRUE(is_local(parse("1.0+g1a2b")));
  EXPECT_FALSE(is_local(parse("1.0.post1.dev2")));
}

TEST(version, DockerTagMapsCharactersDockerForbids) {
  EXPECT_EQ(docker_tag(parse("1.0+g1a2b")), "1.0-g1a2b");
  EXPECT_EQ(docker_tag(parse("1.0+Ubuntu-1")), "1.0-ubuntu.1");
  EXPECT_EQ(docker_tag(parse("1!2.0rc1")), "1_2.0rc1");
}

TEST(version, DockerTagKeepsPublicVersionsAsTheyAre) {
  EXPECT_EQ(docker_tag(parse("v1.0-BETA.2")), "1.0b2");
  EXPECT_EQ(docker_tag(parse("2.0.post1.dev3")), "2.0.post1.dev3");
}

TEST(version, DockerTagRejectsVersionsLongerThanATagMayBe) {
  EXPECT_THROW(docker_tag(parse("1.0+" + std::string(130, 'a'))), VersionError);
  EXPECT_NO_THROW(docker_tag(parse("1.0+" + std::string(124, 'a'))));
}

}  // namespace
}  // namespace dp::version
