#include <gtest/gtest.h>

#include <string>

#include "version/specifier.hpp"

namespace dp::version {
namespace {

bool allows(const std::string& specifiers, const std::string& version) {
  return contains(parse_specifiers(specifiers), parse(version));
}

// Cases checked against packaging 26's SpecifierSet.contains(v, prereleases=True).
struct Case {
  const char* specifiers;
  const char* version;
  bool expected;
};

class SpecifierTest : public ::testing::TestWithParam<Case> {};

TEST_P(SpecifierTest, MatchesAsPackagingDoes) {
  const auto& c = GetParam();
  EXPECT_EQ(allows(c.specifiers, c.version), c.expected) << c.specifiers << " vs " << c.version;
}

INSTANTIATE_TEST_SUITE_P(
    version, SpecifierTest,
    ::testing::Values(Case{"", "3.9.2", true}, Case{">=3.9", "3.9.2", true},
                      Case{">=3.9", "3.8.18", false}, Case{">=3.9", "3.13.0", true},
                      Case{">=3.9,<3.12", "3.12.1", false}, Case{">=3.9, <3.12", "3.11.2", true},
                      Case{"==3.9.*", "3.9.2", true}, Case{"==3.9.*", "3.10.0", false},
                      Case{"!=3.10.*", "3.10.4", false}, Case{"!=3.10.*", "3.11.2", true},
                      Case{"==3.9", "3.9.0", true}, Case{"==3.9", "3.9.2", false},
                      Case{"~=3.9", "3.13.0", true}, Case{"~=3.9", "4.0", false},
                      Case{"~=3.9.1", "3.9.0", false}, Case{"~=3.9.1", "3.9.18", true},
                      Case{"~=3.9.1", "3.10.0", false}, Case{"<3.12", "3.12.0rc1", false},
                      Case{"<3.12rc2", "3.12.0rc1", true}, Case{">3.9", "3.9.post1", false},
                      Case{">3.9", "3.9.1", true}, Case{">3.9", "3.9+local", false},
                      Case{"<=3.9", "3.9+local", true}, Case{"==3.9+local", "3.9", false},
                      Case{"==3.9", "3.9+local", true}, Case{"===3.9.2", "3.9.2", true},
                      Case{"===3.9", "3.9.0", false}, Case{"==1.0.*", "1.0rc1", true},
                      Case{"==1!2.*", "2.0", false}, Case{" >= 3.9 ", "3.9.0", true}));

TEST(specifier, NormalizedFormJoinsTheSpecifiers) {
  EXPECT_EQ(to_string(parse_specifiers(" >= 3.09 , != 3.10.* ")), ">=3.9,!=3.10.*");
}

TEST(specifier, ErrorsNameTheSpecifierAndTheProblem) {
  const auto error_of = [](const char* text) {
    try {
      parse_specifiers(text);
    } catch (const VersionError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of(">=3.*"), "invalid specifier '>=3.*': a wildcard only follows '==' or '!='");
  EXPECT_EQ(error_of("3.9"),
            "invalid specifier '3.9': it starts with none of ~= == != <= >= < > ===");
  EXPECT_EQ(error_of("~=3"), "invalid specifier '~=3': '~=' needs a version of two parts or more");
  EXPECT_EQ(error_of(">=3.9,"), "invalid specifier set '>=3.9,': an empty specifier");
  EXPECT_EQ(error_of(">="), "invalid specifier '>=': no version follows the operator");
  EXPECT_EQ(error_of(">=3.9+x"),
            "invalid specifier '>=3.9+x': only '==' and '!=' take a local version");
  EXPECT_NE(error_of(">=three").find("invalid specifier '>=three': invalid version"),
            std::string::npos);
}

}  // namespace
}  // namespace dp::version
