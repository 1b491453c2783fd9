#include "reports/junit_summary.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace dp::docker {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// What pytest --junitxml writes (xunit2), with a failure, an error, a skip and escapes.
constexpr const char* kPytestReport = R"(<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5" time="0.1">
<testcase classname="tests.test_pydemo" name="test_version" time="0.001" />
<testcase classname="tests.test_pydemo" name="test_add[1-&gt;2]" time="0.001">
  <failure message="assert 2 == 3">def test_add():
&gt;       assert 1 + 1 == 3
E       assert 2 == 3</failure>
</testcase>
<testcase classname="tests.test_pydemo" name="test_fixture" time="0"><error message="fixture &apos;db&apos; not found">E fixture</error></testcase>
<testcase classname="tests.test_pydemo" name="test_later" time="0"><skipped type="pytest.skip" message="not yet">skip</skipped></testcase>
<testcase classname="tests.test_pydemo" name="test_output" time="0"><system-out><![CDATA[<not a tag> </testcase>]]></system-out></testcase>
</testsuite></testsuites>
)";

TEST(JunitSummary, CountsEveryTestcaseByOutcome) {
  const auto summary = parse_junit(kPytestReport);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->passed, 2);
  EXPECT_EQ(summary->failed, 2);
  EXPECT_EQ(summary->skipped, 1);
  EXPECT_THAT(summary->failed_names,
              ElementsAre("tests.test_pydemo.test_add[1->2]", "tests.test_pydemo.test_fixture"));
}

TEST(JunitSummary, KeepsWhereAndWhyEachTestFailed) {
  const auto summary = parse_junit(kPytestReport);
  ASSERT_TRUE(summary);
  ASSERT_EQ(summary->failures.size(), 2u);
  EXPECT_EQ(summary->failures[0].name, "tests.test_pydemo.test_add[1->2]");
  EXPECT_EQ(summary->failures[0].message, "assert 2 == 3");
  EXPECT_EQ(summary->failures[0].file, "");  // xunit2 names no file; this traceback neither
  EXPECT_EQ(summary->failures[1].message, "fixture 'db' not found");
  // pytest's long traceback ends with the failing line; xunit1 gives file and line attributes.
  const auto located = parse_junit(R"(<testsuite>
<testcase classname="tests.test_a" name="test_x"><failure message="AssertionError">def test_x():
&gt;       assert f() == 2
E       assert 1 == 2

tests/helpers.py:3: in f
    return 1
tests/test_a.py:12: AssertionError</failure></testcase>
<testcase classname="t" name="y" file="tests/test_b.py" line="7"><failure><![CDATA[E boom
at tests/other.py:99: x]]></failure></testcase>
<testcase classname="t" name="z"><error/></testcase>
</testsuite>)");
  ASSERT_TRUE(located);
  ASSERT_EQ(located->failures.size(), 3u);
  EXPECT_EQ(located->failures[0].file, "tests/test_a.py");
  EXPECT_EQ(located->failures[0].line, 12);
  EXPECT_EQ(located->failures[0].message, "AssertionError");
  EXPECT_EQ(located->failures[1].file, "tests/test_b.py");
  EXPECT_EQ(located->failures[1].line, 7);
  EXPECT_EQ(located->failures[1].message, "E boom");
  EXPECT_EQ(located->failures[2].file, "");
  EXPECT_EQ(located->failures[2].message, "");
}

TEST(JunitSummary, FormatsOneLine) {
  const auto summary = parse_junit(kPytestReport);
  ASSERT_TRUE(summary);
  EXPECT_EQ(format_junit_summary(*summary),
            "2 passed, 2 failed, 1 skipped; failed: tests.test_pydemo.test_add[1->2], "
            "tests.test_pydemo.test_fixture");
  EXPECT_EQ(format_junit_summary(*summary, 1),
            "2 passed, 2 failed, 1 skipped; failed: tests.test_pydemo.test_add[1->2] and 1 more");
  EXPECT_EQ(format_junit_summary(JunitSummary{3, 0, 0, {}, {}}), "3 passed, 0 failed, 0 skipped");
}

TEST(JunitSummary, ReadsASingleTestsuiteRootWithoutClassnames) {
  const auto summary = parse_junit(
      "\xEF\xBB\xBF<!-- generated --><!DOCTYPE testsuite [<!ENTITY x \"y\">]>\n"
      "<testsuite name='ant'><properties><property name='a' value='b'/></properties>"
      "<testcase name='one'/><testcase name=\"two\"><failure/></testcase></testsuite>\n");
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->passed, 1);
  EXPECT_THAT(summary->failed_names, ElementsAre("two"));
}

TEST(JunitSummary, NestedSuitesCountEachCaseOnce) {
  const auto summary = parse_junit(
      "<testsuites tests='3'><testsuite><testsuite><testcase classname='a' name='x'/>"
      "</testsuite><testcase classname='b' name='y'><skipped/></testcase></testsuite>"
      "</testsuites>");
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->passed, 1);
  EXPECT_EQ(summary->skipped, 1);
}

TEST(JunitSummary, AFailureBelowAnotherChildIsNotTheCasesOutcome) {
  const auto summary = parse_junit(
      "<testsuite><testcase name='x'><properties><failure/></properties></testcase></testsuite>");
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->passed, 1);
  EXPECT_EQ(summary->failed, 0);
}

TEST(JunitSummary, WithoutTestcasesTheRootsCountsAreUsed) {
  const auto summary =
      parse_junit("<testsuite tests='10' failures='2' errors='1' skipped='3'></testsuite>");
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->passed, 4);
  EXPECT_EQ(summary->failed, 3);
  EXPECT_EQ(summary->skipped, 3);
}

TEST(JunitSummary, RootCountsTooLargeForAnIntStayAtTheLargest) {
  auto summary = parse_junit(
      "<testsuite tests='5' failures='2147483647' errors='1' skipped='2147483647' disabled='9'/>");
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->failed, 2147483647);
  EXPECT_EQ(summary->skipped, 2147483647);
  EXPECT_EQ(summary->passed, 0);
  *summary += *summary;
  EXPECT_EQ(summary->failed, 2147483647);
}

TEST(JunitSummary, OtherXmlIsNoReport) {
  EXPECT_FALSE(parse_junit("<?xml version='1.0'?><coverage line-rate='1'><packages/></coverage>"));
  // Not looked at past its root: a coverage report's oddities are no concern of ours.
  EXPECT_FALSE(parse_junit("<project><unclosed></project>"));
}

TEST(JunitSummary, CharacterReferencesAreDecoded) {
  const auto summary = parse_junit(
      "<testsuite><testcase classname='t' name='caf&#233; &#x2713; &bogus; &#xZZ;'><error/>"
      "</testcase></testsuite>");
  ASSERT_TRUE(summary);
  EXPECT_THAT(summary->failed_names, ElementsAre("t.caf\xC3\xA9 \xE2\x9C\x93 &bogus; &#xZZ;"));
}

TEST(JunitSummary, MalformedReportsSayWhere) {
  const char* broken[] = {
      "",
      "   ",
      "<testsuite><testcase name='x'></testsuite>",
      "<testsuite><testcase name='x'>",
      "<testsuite></testsuite><testsuite></testsuite>",
      "<testsuite name=unquoted></testsuite>",
      "<testsuite name='open></testsuite>",
      "<testsuite><!-- never closed </testsuite>",
      "<testsuite>\n<testcase name='x'/>\n</testcase></testsuite>",
      "<testsuite></testsuite>trailing text",
      "<testsuite><testcase name='x' / ></testsuite>",
      "<testsuite><testcase",
      "<testsuite><",
  };
  for (const char* xml : broken) {
    EXPECT_THROW(parse_junit(xml), JunitError) << xml;
  }
  try {
    parse_junit("<testsuite>\n<testcase name='x'/>\n</testcase></testsuite>");
  } catch (const JunitError& e) {
    EXPECT_THAT(e.what(), HasSubstr("line 3"));
    EXPECT_THAT(e.what(), HasSubstr("</testcase> closes <testsuite>"));
  }
}

TEST(JunitSummary, TruncatedInputNeverReadsPastTheEnd) {
  const std::string report = kPytestReport;
  for (std::size_t size = 0; size < report.size(); ++size) {
    try {
      parse_junit(std::string_view(report).substr(0, size));
    } catch (const JunitError&) {
    }
  }
}

TEST(JunitSummary, SummarizesTheReportsOfAFolder) {
  const test::TempDir dir;
  dir.write("reports/junit.xml", kPytestReport);
  dir.write("reports/unit/other.XML",
            "<testsuite><testcase classname='u' name='z'><failure/></testcase></testsuite>");
  dir.write("coverage.xml", "<coverage/>");
  dir.write("broken.xml", "<testsuite><testcase>");
  dir.write("notes.txt", "<testsuite/>");
  const auto reports = summarize_junit_reports(dir.path());
  EXPECT_THAT(reports.files, ElementsAre("reports/junit.xml", "reports/unit/other.XML"));
  EXPECT_EQ(format_junit_summary(reports.summary),
            "2 passed, 3 failed, 1 skipped; failed: tests.test_pydemo.test_add[1->2], "
            "tests.test_pydemo.test_fixture, u.z");
  ASSERT_EQ(reports.warnings.size(), 1u);
  EXPECT_THAT(reports.warnings[0], HasSubstr("broken.xml"));
  EXPECT_THAT(reports.warnings[0], HasSubstr("not summarized"));
}

TEST(JunitSummary, AMissingFolderHasNoReports) {
  const auto reports = summarize_junit_reports("/nonexistent/docker-pipeline/artifacts");
  EXPECT_TRUE(reports.files.empty());
  EXPECT_TRUE(reports.warnings.empty());
}

}  // namespace
}  // namespace dp::docker
