#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "pypi/dist/wheel_tags.hpp"

namespace dp::pypi {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

std::vector<std::string> tags_in(const std::string& file) {
  std::ifstream in(std::string(DP_TEST_DATA_DIR) + "/wheel_tags/" + file);
  std::vector<std::string> tags;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') tags.push_back(line);
  }
  return tags;
}

const Interpreter kBookworm{"cpython", 3, 11, "3.11.2", "2.36", "x86_64"};

TEST(WheelTags, AreThoseOfPipInTheSameOrder) {
  const auto expected = tags_in("cpython-3.11-glibc-2.36-x86_64.txt");
  ASSERT_EQ(expected.size(), 913u);
  EXPECT_EQ(supported_tags(kBookworm), expected);
}

TEST(WheelTags, WithoutGlibcOnlyTheGenericLinuxPlatform) {
  const auto tags = supported_tags({"cpython", 3, 9, "3.9.2", "", "aarch64"});
  EXPECT_EQ(tags.front(), "cp39-cp39-linux_aarch64");
  EXPECT_EQ(tags.back(), "py30-none-any");
}

TEST(WheelTags, CompressedTagSetsAreExpanded) {
  const auto name = parse_wheel_name("demo-1.0-py2.py3-none-any.whl");
  ASSERT_TRUE(name);
  EXPECT_THAT(wheel_tags(*name), ElementsAre("py2-none-any", "py3-none-any"));
}

TEST(WheelTags, BestWheelIsTheOneWithTheMostPreferredTag) {
  const auto supported = supported_tags(kBookworm);
  const std::vector<std::string> wheels = {
      "fast-1.0-cp39-cp39-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
      "fast-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
      "fast-1.0-py3-none-any.whl", "fast-1.0.tar.gz"};
  EXPECT_THAT(
      best_wheel(wheels, supported),
      Optional(std::string("fast-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")));
  EXPECT_THAT(best_wheel({"fast-1.0-py3-none-any.whl"}, supported),
              Optional(std::string("fast-1.0-py3-none-any.whl")));
}

TEST(WheelTags, NoWheelFitsAnotherPythonOrANewerGlibc) {
  const auto supported = supported_tags(kBookworm);
  EXPECT_EQ(best_wheel({"fast-1.0-cp313-cp313-manylinux_2_17_x86_64.whl"}, supported),
            std::nullopt);
  EXPECT_EQ(best_wheel({"fast-1.0-cp311-cp311-manylinux_2_39_x86_64.whl"}, supported),
            std::nullopt);
  EXPECT_EQ(best_wheel({"fast-1.0-cp311-cp311-win_amd64.whl"}, supported), std::nullopt);
}

}  // namespace
}  // namespace dp::pypi
