// The release record's table (docker-pipeline release), from records as publish writes them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "stages/publish/release_record.hpp"

namespace dp::stages {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

nlohmann::json record() {
  return nlohmann::json::parse(R"({
    "format": "1.0", "pipeline": "app", "version": "1.0",
    "git": {"revision": "75c8bb31c127bdd2e38e4ffba17913577129aeac", "dirty": true},
    "index": "http://127.0.0.1:8080/",
    "dists": [{"file": "app-1.0-py3-none-any.whl", "size": 1080,
               "sha256": "0bc1009edcb1aaaaaaaaaaaaaaaa", "url": "http://127.0.0.1:8080/packages/app-1.0-py3-none-any.whl"},
              {"file": "app-1.0.tar.gz", "size": 900, "sha256": "135b2eac4583bbbbbbbb", "url": ""}],
    "image": {"id": "sha256:3e14dc9f73b5", "pushed": [
      {"tag": "1.0", "reference": "127.0.0.1:5000/team/app@sha256:2008be217eab"}]},
    "registry": "127.0.0.1:5000/team/app",
    "verify": [{"image": "docker-pipeline/python3:bookworm", "passed": true}],
    "started": "2026-12-04T19:11:30Z", "finished": "2026-12-04T19:11:34Z"})");
}

TEST(stagesReleaseRecord, ShowsTheReleaseItsDistsImageAndVerifyResults) {
  EXPECT_THAT(
      release_table(record()),
      ElementsAre("app 1.0, released 2026-12-04T19:11:34Z (git 75c8bb31c127, dirty tree)",
                  "dists on http://127.0.0.1:8080/",
                  "  file                      size  sha256        url",
                  "  app-1.0-py3-none-any.whl  1080  0bc1009edcb1  "
                  "http://127.0.0.1:8080/packages/app-1.0-py3-none-any.whl",
                  "  app-1.0.tar.gz            900   135b2eac4583", "image sha256:3e14dc9f73b5",
                  "  tag  pushed as", "  1.0  127.0.0.1:5000/team/app@sha256:2008be217eab",
                  "  verify image                      result",
                  "  docker-pipeline/python3:bookworm  passed"));
}

TEST(stagesReleaseRecord, RefusesANewerMajorFormatAndAMalformedRecord) {
  auto newer = record();
  newer["format"] = "2.0";
  EXPECT_THROW(
      {
        try {
          release_table(newer);
        } catch (const UserError& e) {
          EXPECT_THAT(e.what(), HasSubstr("format 2.0 is newer"));
          throw;
        }
      },
      UserError);
  auto broken = record();
  broken["dists"][0]["size"] = "big";
  EXPECT_THROW(release_table(broken), UserError);
}

}  // namespace
}  // namespace dp::stages
