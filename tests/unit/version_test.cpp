#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "version/bump.hpp"
#include "version/format_version.hpp"
#include "version/pep440.hpp"
#include "version/semver.hpp"

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

// --- PEP 440, case by case from the text of the specification --------------------------------
// Each case names the section of PEP 440 (https://peps.python.org/pep-0440/) it comes from.

const std::vector<NormalizationCase> kSpecNormalization = {
    // Case sensitivity: "all ascii letters should be interpreted case insensitively".
    {"1.1RC1", "1.1rc1"},
    {"1.0A1", "1.0a1"},
    {"1.0.POST1", "1.0.post1"},
    {"1.0.Dev1", "1.0.dev1"},
    {"1.0+UbUnTu", "1.0+ubuntu"},
    // Integer normalization: 00 -> 0, 09000 -> 9000, everywhere an integer stands ...
    {"00", "0"},
    {"09000", "9000"},
    {"1.0a01", "1.0a1"},
    {"1.0.post007", "1.0.post7"},
    {"1.0.dev010", "1.0.dev10"},
    {"007!1.0", "7!1.0"},
    {"1.0+0100", "1.0+100"},
    // ... but not inside an alphanumeric local segment: 1.0+foo0100 is already normalized.
    {"1.0+foo0100", "1.0+foo0100"},
    // Pre-release separators: ., - or _ before the signifier, and between it and the numeral.
    {"1.1.a1", "1.1a1"},
    {"1.1-a1", "1.1a1"},
    {"1.1_a1", "1.1a1"},
    {"1.0a.1", "1.0a1"},
    {"1.0a-1", "1.0a1"},
    {"1.0a_1", "1.0a1"},
    // Pre-release spelling: alpha, beta, c, pre and preview for a, b, rc, rc and rc.
    {"1.1alpha1", "1.1a1"},
    {"1.1beta2", "1.1b2"},
    {"1.1c3", "1.1rc3"},
    {"1.1pre4", "1.1rc4"},
    {"1.1preview5", "1.1rc5"},
    // Implicit pre-release number.
    {"1.2a", "1.2a0"},
    {"1.2-preview", "1.2rc0"},
    // Post release separators, before the signifier and between it and the numeral.
    {"1.2-post2", "1.2.post2"},
    {"1.2post2", "1.2.post2"},
    {"1.2_post2", "1.2.post2"},
    {"1.2.post-2", "1.2.post2"},
    {"1.2.post_2", "1.2.post2"},
    {"1.2.post.2", "1.2.post2"},
    // Post release spelling: rev and r for post.
    {"1.0-r4", "1.0.post4"},
    {"1.0-rev4", "1.0.post4"},
    {"1.0.rev.4", "1.0.post4"},
    // Implicit post release number.
    {"1.2.post", "1.2.post0"},
    {"1.2-r", "1.2.post0"},
    // Implicit post releases: a '-' and a number alone.
    {"1.0-1", "1.0.post1"},
    {"1.0a1-2", "1.0a1.post2"},
    {"1.0-1.dev3", "1.0.post1.dev3"},
    // Development release separators.
    {"1.2-dev2", "1.2.dev2"},
    {"1.2dev2", "1.2.dev2"},
    {"1.2_dev2", "1.2.dev2"},
    {"1.2.dev-2", "1.2.dev2"},
    // Implicit development release number.
    {"1.2.dev", "1.2.dev0"},
    {"1.2a1dev", "1.2a1.dev0"},
    // Local version segments: - and _ become '.'.
    {"1.0+ubuntu-1", "1.0+ubuntu.1"},
    {"1.0+ubuntu_1", "1.0+ubuntu.1"},
    {"1.0+ubuntu-1_2.3", "1.0+ubuntu.1.2.3"},
    // Preceding v character.
    {"v1.0", "1.0"},
    {"v1!2.0a1", "1!2.0a1"},
    // Leading and trailing whitespace.
    {" 1.0 ", "1.0"},
    {"\t1.0\r\n", "1.0"},
    {"\v\f1.0a1\n", "1.0a1"},
    // Whitespace as packaging's `\s` has it: Unicode's too (U+202F, U+2029, U+00A0, U+3000), and
    // the ASCII separators \x1c..\x1f.
    {"\xe2\x80\xaf"
     "1.0\t\xe2\x80\xa9\n ",
     "1.0"},
    {"\xc2\xa0"
     "1.0\xe3\x80\x80",
     "1.0"},
    {"\x1c"
     "1.0\x1f",
     "1.0"},
    // Version epochs: 0 is the implicit epoch and is not written.
    {"1!1.0", "1!1.0"},
    {"0!1.0", "1.0"},
    // All the parts together, in the order the scheme gives them.
    {"1!2.3.4rc5.post6.dev7+eight.9", "1!2.3.4rc5.post6.dev7+eight.9"},
    {" V01!02.03-PREVIEW_04-05_DEV-06+Local_07 ", "1!2.3rc4.post5.dev6+local.7"},
};

class SpecNormalizeTest : public ::testing::TestWithParam<NormalizationCase> {};

TEST_P(SpecNormalizeTest, GivesTheNormalForm) {
  EXPECT_EQ(normalize(GetParam().input), GetParam().expected);
}

TEST_P(SpecNormalizeTest, NormalFormIsValidAndItsOwnNormalForm) {
  EXPECT_EQ(normalize(GetParam().expected), GetParam().expected);
  EXPECT_EQ(compare(parse(GetParam().input), parse(GetParam().expected)), 0);
}

INSTANTIATE_TEST_SUITE_P(version_spec, SpecNormalizeTest, ::testing::ValuesIn(kSpecNormalization));

// "Examples of compliant version schemes" and the canonical forms of "Version scheme".
const std::vector<std::string> kSpecValid = {
    "0.1",         "0.2",         "0.3",       "1.0",      "1.1",       "1.1.0",
    "1.1.1",       "1.1.2",       "1.2.0",     "0.9",      "1.0a1",     "1.0a2",
    "1.0b1",       "1.0rc1",      "1.1a1",     "1.0.dev1", "1.0.dev2",  "1.0.dev3",
    "1.0c1",       "1.0c2",       "1.1.dev1",  "2012.4",   "2012.7",    "2012.10",
    "2013.1",      "2013.6",      "1",         "2",        "3",         "2013.10",
    "2014.04",     "1!1.0",       "1!1.1",     "1!2.0",    "1.0.post1", "1.0.post2.dev3",
    "1.0a1.post1", "1.0rc1.dev2", "1.0+abc.7", "1.0+5",    "1.0+abc.5",
};

class SpecValidTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SpecValidTest, IsAccepted) {
  EXPECT_NO_THROW(parse(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(version_spec, SpecValidTest, ::testing::ValuesIn(kSpecValid));

// What the scheme and its normalization rules leave out.
const std::vector<std::string> kSpecInvalid = {
    "1.0d1",           // pre-release signifiers are a, b, rc and their spellings only
    "1.0a1b2",         // one pre-release segment at most
    "1.0.post1a1",     // pre before post ...
    "1.0.dev1a1",      // ... before dev
    "1.0.dev1.post1",  //
    "1.0.post1.post2",
    "1.0.dev1.dev2",
    "a!1.0",  // an epoch is an integer
    "1!2!3",  // and there is one
    "-1.0",   // numbers are non-negative
    "1.0_1",  // an implicit post release takes '-' only
    "1.0-",   // and a number
    "1.0.-1",
    "1.0+",          // a local label is not empty,
    "1.0+.abc",      // starts ...
    "1.0+abc.",      // ... and ends with a letter or digit,
    "1.0+abc..def",  // has no empty segments
    "1.0+ab~c",      // and only ASCII letters, digits and separators
    "1.0+\xc3\xa9",  // (not an 'é')
    "1.0 .dev1",     // whitespace only around the version
    "1 .0",
    "1.0+abc def",
    "1.0\xc2\xa0"
    "a1",           // not even Unicode whitespace
    "1.0\xe2\x80",  // a truncated U+2000..
    "vv1.0",        // one 'v' at most
    "1.0v",
    "\xef\xbc\x91.0",  // fullwidth digits are not ASCII digits
    "1.0.*",           // wildcards belong to specifiers, not versions
    "1.0.0-",
    "==1.0",
};

class SpecInvalidTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SpecInvalidTest, IsRejected) {
  EXPECT_THROW(parse(GetParam()), VersionError);
}

INSTANTIATE_TEST_SUITE_P(version_spec, SpecInvalidTest, ::testing::ValuesIn(kSpecInvalid));

// "Summary of permitted suffixes and relative ordering", in the order the PEP lists them.
const std::vector<std::string> kSpecOrder = {
    "1.dev0",
    "1.0.dev456",
    "1.0a1",
    "1.0a2.dev456",
    "1.0a12.dev456",
    "1.0a12",
    "1.0b1.dev456",
    "1.0b2",
    "1.0b2.post345.dev456",
    "1.0b2.post345",
    "1.0rc1.dev456",
    "1.0rc1",
    "1.0",
    "1.0+abc.5",
    "1.0+abc.7",
    "1.0+5",
    "1.0.post456.dev34",
    "1.0.post456",
    "1.0.15",
    "1.1.dev1",
};

// The chain of the issue, epochs as "Version epochs" orders them, local labels as "Local version
// identifiers" does: numeric segments after alphanumeric ones, and a longer label after its prefix.
const std::vector<std::vector<std::string>> kSpecChains = {
    {"1.0.dev0", "1.0a1.dev0", "1.0a1", "1.0a1.post1.dev0", "1.0rc1", "1.0", "1.0+local",
     "1.0.post1.dev0", "1.0.post1"},
    {"2013.10", "2014.04", "1!1.0", "1!1.1", "1!2.0"},
    {"1.0", "1.0+a", "1.0+a.b", "1.0+a.b.c", "1.0+a.1", "1.0+b", "1.0+z", "1.0+0", "1.0+1",
     "1.0+1.a", "1.0+1.0", "1.0+2", "1.0+10", "1.0+100"},
    {"1.0a1", "1.0a1.post1", "1.0a1.post2.dev0", "1.0a1.post2", "1.0a2.dev0"},
};

void expect_strictly_increasing(const std::vector<std::string>& chain) {
  for (std::size_t i = 0; i < chain.size(); ++i) {
    for (std::size_t j = 0; j < chain.size(); ++j) {
      const int expected = i < j ? -1 : (i > j ? 1 : 0);
      EXPECT_EQ(compare_text(chain[i], chain[j]), expected) << chain[i] << " vs " << chain[j];
    }
  }
}

TEST(version_spec, OrderOfPermittedSuffixes) {
  expect_strictly_increasing(kSpecOrder);
}

TEST(version_spec, OrderOfChains) {
  for (const auto& chain : kSpecChains) expect_strictly_increasing(chain);
}

// "Final releases": trailing zeros in the release segment do not change the version.
const std::vector<std::pair<std::string, std::string>> kSpecEqual = {
    {"1.0", "1.0.0"},       {"1.1", "1.1.0.0"},
    {"1", "1.0"},           {"0!1.0", "1.0"},
    {"1.0+ABC", "1.0+abc"}, {"1.0+ubuntu-1", "1.0+ubuntu.1"},
    {"1.0+01", "1.0+1"},    {"1.0c1", "1.0rc1"},
    {"1.0-1", "1.0.post1"}, {"1.0a1.dev0", "1.0.0a1.dev"},
};

TEST(version_spec, EqualVersions) {
  for (const auto& [a, b] : kSpecEqual) {
    EXPECT_EQ(compare_text(a, b), 0) << a << " vs " << b;
    EXPECT_EQ(compare_text(b, a), 0) << b << " vs " << a;
  }
}

TEST(version_spec, LocalLabelsWithTrailingZerosDiffer) {
  // Release numbers are padded with zeros; local labels are not.
  EXPECT_EQ(compare_text("1.0+1", "1.0+1.0"), -1);
  EXPECT_EQ(normalize("1.0.0+1.0"), "1.0.0+1.0");
}

TEST(version_spec, ErrorsPointAtTheOffendingPart) {
  EXPECT_THAT(error_of("1.0d1"), HasSubstr("unexpected 'd' at position 3"));
  EXPECT_THAT(error_of("1.0.dev1.post1"), HasSubstr("unexpected '.' at position 8"));
  EXPECT_THAT(error_of("1.0+abc..def"), HasSubstr("unexpected '.' at position 7"));
  EXPECT_THAT(error_of("1.0+\xc3\xa9"), HasSubstr("found byte 0xc3"));
}

// --- bump -------------------------------------------------------------------------------------

struct BumpCase {
  std::string input;
  std::string parts;
  std::string expected;
};

void PrintTo(const BumpCase& c, std::ostream* out) {
  *out << c.input << " --bump " << c.parts << " -> " << c.expected;
}

// Hatch's "standard" scheme gives the same results, except that it also resets the epoch.
const std::vector<BumpCase> kBumpCases = {
    {"1.2.3", "major", "2.0.0"},
    {"1.2.3rc1.post2.dev3+local", "major", "2.0.0"},
    {"1", "major", "2"},
    {"1!1.2", "major", "1!2.0"},
    {"1.2.3", "minor", "1.3.0"},
    {"1", "minor", "1.1"},
    {"1.2.3.4", "minor", "1.3.0.0"},
    {"1.2.3", "patch", "1.2.4"},
    {"1.2", "patch", "1.2.1"},
    {"1", "micro", "1.0.1"},
    {"1.2.3", "fix", "1.2.4"},
    {"1.3.0rc1", "patch", "1.3.1"},
    {"1.3.0rc1", "release", "1.3.0"},
    {"1.0.dev3", "release", "1.0"},
    {"1.0a1", "alpha", "1.0a2"},
    {"1.0a1", "a", "1.0a2"},
    {"1.0a1", "beta", "1.0b0"},
    {"1.0b3.post1", "beta", "1.0b4"},
    {"1.0b3", "rc", "1.0rc0"},
    {"1.0b3", "c", "1.0rc0"},
    {"1.0rc1", "pre", "1.0rc2"},
    {"1.0a1.dev2", "pre", "1.0a2"},
    {"1.0", "minor,pre", "1.1a0"},
    {"1.0", "major,rc", "2.0rc0"},
    {"1.0", "patch,beta", "1.0.1b0"},
    {"1.0", "post", "1.0.post0"},
    {"1.0.post0", "post", "1.0.post1"},
    {"1.0rc1.post3.dev1", "post", "1.0rc1.post4"},
    {"1.0", "rev", "1.0.post0"},
    {"1.0.dev1", "dev", "1.0.dev2"},
    {"1.0rc1.post2.dev0+x", "dev", "1.0rc1.post2.dev1"},
    {"1.0", "patch,dev", "1.0.1.dev0"},
    {"1.0", "post,dev", "1.0.post0.dev0"},
    {"1.0rc1", "release,minor", "1.1"},
};

class BumpTest : public ::testing::TestWithParam<BumpCase> {};

TEST_P(BumpTest, GivesTheNextVersion) {
  const auto& c = GetParam();
  EXPECT_EQ(to_string(bump(parse(c.input), parse_bump_parts(c.parts))), c.expected);
}

INSTANTIATE_TEST_SUITE_P(version_bump, BumpTest, ::testing::ValuesIn(kBumpCases));

std::string bump_error(std::string_view version, std::string_view parts) {
  try {
    bump(parse(version), parse_bump_parts(parts));
  } catch (const VersionError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(version_bump, RejectsResultsThatDoNotComeAfterTheInput) {
  EXPECT_EQ(bump_error("1.0", "dev"),
            "bumping 1.0 by dev gives 1.0.dev0, which is not after 1.0; bump a release part "
            "first, as in 'patch,dev'");
  EXPECT_THAT(bump_error("1.0", "pre"), HasSubstr("gives 1.0a0, which is not after 1.0"));
  EXPECT_THAT(bump_error("1.0", "rc"), HasSubstr("gives 1.0rc0"));
  EXPECT_THAT(bump_error("1.0b1", "alpha"), HasSubstr("gives 1.0a0"));
  EXPECT_EQ(bump_error("1.0", "release"),
            "bumping 1.0 by release gives 1.0, which is not after 1.0");
  EXPECT_THAT(bump_error("1.0.post1", "release"), HasSubstr("gives 1.0, which is not after"));
  EXPECT_THAT(bump_error("1.0+local", "release"), HasSubstr("gives 1.0, which is not after"));
}

TEST(version_bump, RejectsUnknownPartsAndOverflow) {
  EXPECT_THAT(bump_error("1.0", "minor,huge"), HasSubstr("unknown version part 'huge'"));
  EXPECT_THAT(bump_error("1.0", ""), HasSubstr("unknown version part ''"));
  EXPECT_THAT(bump_error("1.0", "minor,"), HasSubstr("unknown version part ''"));
  EXPECT_THAT(bump_error("18446744073709551615", "major"), HasSubstr("2^64-1"));
}

TEST(version_bump, BumpPartAloneMayGoBackwards) {
  EXPECT_EQ(to_string(bump_part(parse("1.0"), BumpPart::rc)), "1.0rc0");
}

// --- SemVer 2.0.0, from the text of https://semver.org --------------------------------------

// Spec items 2, 9 and 10 and their examples.
const std::vector<std::string> kSemVerValid = {
    "0.0.0",
    "1.9.0",
    "1.10.0",
    "1.11.0",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-0.3.7",
    "1.0.0-x.7.z.92",
    "1.0.0-x-y-z.--",
    "1.0.0-alpha+001",
    "1.0.0+20130313144700",
    "1.0.0-beta+exp.sha.5114f85",
    "1.0.0+21AF26D3----117B344092BD",
    "1.0.0-0",
    "1.0.0-0a",  // alphanumeric identifiers may start with zeros
    "1.0.0-00a.01b",
    "1.0.0+0.00.007",  // so may build identifiers
    "1.0.0--",
    "1.0.0-rc.1+build.1",
    "99999999999999999999999.999999999999999999.99999999999999999",
};

class SemVerValidTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SemVerValidTest, IsAcceptedAndPrintedAsItIs) {
  EXPECT_EQ(to_string(parse_semver(GetParam())), GetParam());
}

INSTANTIATE_TEST_SUITE_P(version_semver, SemVerValidTest, ::testing::ValuesIn(kSemVerValid));

const std::vector<std::string> kSemVerInvalid = {
    "",
    "1",
    "1.2",
    "1.2.3.4",  // X.Y.Z, three numbers
    "01.1.1",   // "MUST NOT contain leading zeroes"
    "1.01.1",
    "1.1.01",
    "-1.0.0",    // non-negative
    "1.0.0-01",  // "Numeric identifiers MUST NOT include leading zeroes"
    "1.0.0-alpha.01",
    "1.0.0-",  // "Identifiers MUST NOT be empty"
    "1.0.0-alpha..1",
    "1.0.0-alpha.",
    "1.0.0+",
    "1.0.0+build..1",
    "1.0.0-alpha_beta",  // [0-9A-Za-z-] only
    "1.0.0+build!",
    "1.0.0-\xc3\xa9",
    "v1.2.3",  // FAQ: "v1.2.3" is not a semantic version
    " 1.2.3",
    "1.2.3 ",
    "1.2.3-a+b+c",
    "1.2.3+b-a+c",
    "a.b.c",
    "1.2.x",
};

class SemVerInvalidTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SemVerInvalidTest, IsRejected) {
  EXPECT_THROW(parse_semver(GetParam()), VersionError);
}

INSTANTIATE_TEST_SUITE_P(version_semver, SemVerInvalidTest, ::testing::ValuesIn(kSemVerInvalid));

std::string semver_error(std::string_view text) {
  try {
    parse_semver(text);
  } catch (const VersionError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(version_semver, ErrorsPointAtTheOffendingPart) {
  EXPECT_EQ(semver_error("1.02.3"),
            "invalid semantic version '1.02.3': leading zero in the minor version at position 2");
  EXPECT_EQ(semver_error("v1.2.3"),
            "invalid semantic version 'v1.2.3': expected the major version at position 0, found "
            "'v'");
  EXPECT_EQ(semver_error("1.2"),
            "invalid semantic version '1.2': expected '.' after the minor version at position 3");
  EXPECT_THAT(semver_error("1.0.0-rc.01"),
              HasSubstr("leading zero in numeric pre-release identifier '01' at position 9"));
  EXPECT_THAT(semver_error("1.0.0-a..b"),
              HasSubstr("expected a pre-release identifier at position 8, found '.'"));
  EXPECT_THAT(semver_error("1.0.0+"),
              HasSubstr("expected a build metadata identifier at position 6"));
  EXPECT_THAT(semver_error("1.0.0_1"), HasSubstr("unexpected '_' at position 5"));
}

TEST(version_semver, ParseSplitsIdentifiers) {
  const auto v = parse_semver("1.2.3-rc.1+build.07");
  EXPECT_EQ(v.major, "1");
  EXPECT_EQ(v.minor, "2");
  EXPECT_EQ(v.patch, "3");
  EXPECT_EQ(v.prerelease, (std::vector<std::string>{"rc", "1"}));
  EXPECT_EQ(v.build, (std::vector<std::string>{"build", "07"}));
}

int semver_compare(std::string_view a, std::string_view b) {
  return compare(parse_semver(a), parse_semver(b));
}

// Item 11's two examples, and what its rules say of numbers past 64 bits and of '-'.
const std::vector<std::vector<std::string>> kSemVerChains = {
    {"1.0.0", "2.0.0", "2.1.0", "2.1.1"},
    {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
     "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"},
    {"1.0.0-0", "1.0.0-1", "1.0.0-2", "1.0.0-10", "1.0.0-99999999999999999999", "1.0.0--",
     "1.0.0-0a", "1.0.0-A", "1.0.0-Z", "1.0.0-a", "1.0.0-a.0", "1.0.0-a.-"},
    {"1.9.0", "1.10.0", "1.11.0", "18446744073709551616.0.0", "100000000000000000000.0.0"},
};

TEST(version_semver, PrecedenceFollowsItem11) {
  for (const auto& chain : kSemVerChains) {
    for (std::size_t i = 0; i < chain.size(); ++i) {
      for (std::size_t j = 0; j < chain.size(); ++j) {
        const int expected = i < j ? -1 : (i > j ? 1 : 0);
        EXPECT_EQ(semver_compare(chain[i], chain[j]), expected) << chain[i] << " vs " << chain[j];
      }
    }
  }
}

TEST(version_semver, BuildMetadataIsIgnoredInPrecedence) {
  EXPECT_EQ(semver_compare("1.0.0-alpha+001", "1.0.0-alpha"), 0);
  EXPECT_EQ(semver_compare("1.0.0+20130313144700", "1.0.0+exp.sha.5114f85"), 0);
  EXPECT_EQ(semver_compare("1.0.0-beta+exp.sha.5114f85", "1.0.0-rc.1"), -1);
}

struct SemVerMappingCase {
  std::string pep440;
  std::string semver;
};

void PrintTo(const SemVerMappingCase& c, std::ostream* out) {
  *out << c.pep440 << " -> " << c.semver;
}

const std::vector<SemVerMappingCase> kSemVerMapping = {
    {"1.2.3", "1.2.3"},
    {"1", "1.0.0"},
    {"1.2", "1.2.0"},
    {"1.2.3.0.0", "1.2.3"},
    {"v1.0-BETA.1", "1.0.0-beta.1"},
    {"1.0a1", "1.0.0-alpha.1"},
    {"1.0a", "1.0.0-alpha.0"},
    {"1.0rc1", "1.0.0-rc.1"},
    {"1.0c2", "1.0.0-rc.2"},
    {"1.0+ubuntu-1", "1.0.0+ubuntu.1"},
    {"1.0rc1+g1a2b3c", "1.0.0-rc.1+g1a2b3c"},
};

class SemVerMappingTest : public ::testing::TestWithParam<SemVerMappingCase> {};

TEST_P(SemVerMappingTest, MapsPep440ToSemVer) {
  EXPECT_EQ(to_string(to_semver(parse(GetParam().pep440))), GetParam().semver);
  EXPECT_EQ(to_string(to_semver(GetParam().pep440)), GetParam().semver);
}

INSTANTIATE_TEST_SUITE_P(version_semver, SemVerMappingTest, ::testing::ValuesIn(kSemVerMapping));

TEST(version_semver, MappingKeepsThePep440OrderOfWhatItMaps) {
  const std::vector<std::string> ordered = {"1.0a1",  "1.0a2", "1.0a10", "1.0b1", "1.0rc1",
                                            "1.0rc2", "1.0",   "1.0.1",  "1.1",   "2"};
  for (std::size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_EQ(compare(to_semver(parse(ordered[i])), to_semver(parse(ordered[i + 1]))), -1)
        << ordered[i] << " vs " << ordered[i + 1];
  }
}

std::string mapping_error(std::string_view text) {
  try {
    to_semver(text);
  } catch (const VersionError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(version_semver, MappingRejectsWhatSemVerCannotOrder) {
  EXPECT_EQ(mapping_error("1!1.0"),
            "version '1!1.0' has no SemVer equivalent: SemVer has no epochs");
  EXPECT_THAT(mapping_error("1.2.3.4"), HasSubstr("three release numbers"));
  EXPECT_THAT(mapping_error("1.0.post1"), HasSubstr("no post-releases"));
  EXPECT_THAT(mapping_error("1.0.dev1"), HasSubstr("no developmental releases"));
  EXPECT_THAT(mapping_error("1.0rc1.dev1"), HasSubstr("no developmental releases"));
}

TEST(version_semver, TextThatIsSemVerIsTakenAsSemVer) {
  // 1.0.0-1 is a SemVer pre-release, while PEP 440 would read it as 1.0.0.post1.
  EXPECT_EQ(to_string(to_semver(std::string_view{"1.0.0-1"})), "1.0.0-1");
  EXPECT_EQ(to_string(to_semver(std::string_view{"1.0.0-alpha+001"})), "1.0.0-alpha+001");
}

TEST(version_semver, TextThatIsNeitherGivesTheSemVerError) {
  EXPECT_THAT(mapping_error("1.0-beta!"), HasSubstr("invalid semantic version '1.0-beta!'"));
}

TEST(FormatVersionTest, ANewerMinorIsReadAndANewerMajorRefused) {
  constexpr FormatVersion newest{2, 5};
  EXPECT_EQ(format_support("2.5", newest), FormatSupport::known);
  EXPECT_EQ(format_support("1.0", newest), FormatSupport::known);
  EXPECT_EQ(format_support("2.10", newest), FormatSupport::newer_minor);  // numbers, not text
  EXPECT_EQ(format_support("3.0", newest), FormatSupport::newer_major);
  for (const char* malformed : {"", "2", "2.", ".5", "2.5.1", "v2.5", " 2.5", "2.x", "-1.0"}) {
    EXPECT_EQ(format_support(malformed, newest), FormatSupport::malformed) << malformed;
  }
  EXPECT_EQ(to_string(FormatVersion{1, 4}), "1.4");
}

}  // namespace
}  // namespace dp::version
