// Matrix variants run side by side: their output prefixed, or folded per variant for a CI log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stages/prefixed_reporter.hpp"
#include "stages/variants.hpp"
#include "support/recording_reporter.hpp"

namespace dp::stages {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::vector<pipeline::Pipeline> variants(std::initializer_list<const char*> names) {
  std::vector<pipeline::Pipeline> pipelines;
  for (const char* name : names) {
    pipeline::Pipeline p;
    p.name = "pydemo";
    p.variant = name;
    pipelines.push_back(p);
  }
  return pipelines;
}

int print_two_lines(const pipeline::Pipeline& p, Reporter& reporter) {
  reporter.say("testing " + p.variant);
  reporter.print(p.variant + " line 1");
  reporter.container_output()(p.variant + " line 2");
  return 0;
}

TEST(stagesVariants, SideBySideEachLineNamesItsVariant) {
  test::RecordingReporter reporter;
  EXPECT_EQ(for_each_variant(variants({"bookworm", "trixie"}), 2, reporter, print_two_lines), 0);
  EXPECT_THAT(reporter.out, HasSubstr("[bookworm] bookworm line 1\n"));
  EXPECT_THAT(reporter.out, HasSubstr("[trixie] trixie line 2\n"));
  EXPECT_TRUE(reporter.units.empty());
}

TEST(stagesVariants, ForACiLogEachVariantsOutputComesWholeAndItsStatusAtOnce) {
  test::RecordingReporter reporter;
  reporter.folds = true;
  // One at a time too: each variant is still a section of its own.
  EXPECT_EQ(for_each_variant(variants({"bookworm", "trixie"}), 1, reporter, print_two_lines), 0);
  EXPECT_THAT(reporter.units,
              ElementsAre(Pair("bookworm", ElementsAre("bookworm line 1", "bookworm line 2")),
                          Pair("trixie", ElementsAre("trixie line 1", "trixie line 2"))));
  EXPECT_EQ(reporter.out,
            "docker-pipeline: [bookworm] testing bookworm\n"
            "docker-pipeline: [trixie] testing trixie\n");
}

TEST(stagesVariants, APrefixedReporterPassesSecretsTablesAndAnnotationsOn) {
  test::RecordingReporter reporter;
  {
    PrefixedReporter unit{reporter, "bookworm"};
    unit.mask("pypi-token");
    unit.annotate({"tests/test_a.py", 3, "failed", "boom"});
    unit.summarize({"Tests", {"image"}, {{"pydemo:1.0-bookworm"}}});
  }
  EXPECT_EQ(reporter.masked, "pypi-token\n");
  ASSERT_EQ(reporter.annotations.size(), 1u);
  EXPECT_EQ(reporter.annotations[0].line, 3);
  ASSERT_EQ(reporter.tables.size(), 1u);
  EXPECT_EQ(reporter.tables[0].rows[0][0], "pydemo:1.0-bookworm");
}

}  // namespace
}  // namespace dp::stages
