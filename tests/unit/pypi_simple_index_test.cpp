// The simple-API client's pure parts: where the index is, what a project page lists; and the
// retry timing and journal it works with.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>

#include "pypi/http/retry_policy.hpp"
#include "pypi/index/simple_index.hpp"
#include "pypi/upload/journal.hpp"
#include "support/temp_dir.hpp"

namespace dp::pypi {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

auto file(const std::string& filename, const std::string& sha256) {
  return AllOf(Field(&IndexedFile::filename, filename), Field(&IndexedFile::sha256, sha256));
}

TEST(pypiSimpleIndex, CandidatesForWarehousePypiserverAndDevpi) {
  EXPECT_THAT(simple_index_candidates("http://h:8080/legacy/", std::nullopt),
              ElementsAre("http://h:8080/simple/", "http://h:8080/legacy/+simple/",
                          "http://h:8080/legacy/simple/"));
  EXPECT_THAT(simple_index_candidates("http://h:8080/", std::nullopt),
              ElementsAre("http://h:8080/simple/"));
  EXPECT_THAT(simple_index_candidates("http://h:3141/alice/dev", std::nullopt),
              ElementsAre("http://h:3141/alice/dev/+simple/", "http://h:3141/alice/dev/simple/",
                          "http://h:3141/simple/"));
  EXPECT_THAT(simple_index_candidates("https://upload.pypi.org/legacy/", std::nullopt),
              testing::Contains("https://pypi.org/simple/"));
  EXPECT_THAT(simple_index_candidates("http://h/legacy/", std::string{"http://other/idx"}),
              ElementsAre("http://other/idx/"));
}

TEST(pypiSimpleIndex, ParsesAPep691JsonPage) {
  const auto files = parse_simple_json(R"({
    "meta": {"api-version": "1.1"},
    "name": "demo-pkg",
    "files": [
      {"filename": "demo_pkg-0.1.0-py3-none-any.whl", "url": "../../f/demo.whl",
       "hashes": {"sha256": "ABCDEF", "md5": "00"}},
      {"filename": "demo_pkg-0.1.0.tar.gz", "url": "x", "hashes": {}}
    ]
  })");
  EXPECT_THAT(files, ElementsAre(file("demo_pkg-0.1.0-py3-none-any.whl", "abcdef"),
                                 file("demo_pkg-0.1.0.tar.gz", "")));
  EXPECT_THROW(parse_simple_json("<html></html>"), std::runtime_error);
}

TEST(pypiSimpleIndex, ParsesAPep503HtmlPage) {
  // pypiserver 2.4 and devpi style, plus an anchor whose text is not the file name.
  const auto files = parse_simple_html(R"(<!DOCTYPE html>
<html><head><title>Links for demo-pkg</title></head><body><h1>Links for demo-pkg</h1>
  <a href="/packages/demo_pkg-0.1.0-py3-none-any.whl#sha256=a873ac">demo_pkg-0.1.0-py3-none-any.whl</a><br>
  <A HREF='../../+f/1a2/demo_pkg-0.1.0.tar.gz#md5=0f0f' data-requires-python="&gt;=3.8">demo_pkg-0.1.0.tar.gz</A>
  <a class="x" href="https://files.example/demo_pkg-0.2.0.zip?x=1#sha256=BEEF"><b>download</b></a>
</body></html>)");
  EXPECT_THAT(files,
              ElementsAre(file("demo_pkg-0.1.0-py3-none-any.whl", "a873ac"),
                          file("demo_pkg-0.1.0.tar.gz", ""), file("demo_pkg-0.2.0.zip", "beef")));
  EXPECT_THAT(parse_simple_html("<html><body>nothing</body></html>"), IsEmpty());
}

TEST(pypiSimpleIndex, AFetchedListingUsesTheFirstCandidateThatAnswers) {
  std::vector<std::string> asked;
  ResolvedRepository repository;
  repository.url = "http://127.0.0.1:1/alice/dev/";
  SimpleIndex index{
      simple_index_candidates(repository.url, std::nullopt), repository,
      [&asked](const std::string& url, const std::string&, const ResolvedRepository* credentials) {
        asked.push_back(url + (credentials ? " (auth)" : ""));
        HttpResponse response;
        response.status = url.find("+simple") != std::string::npos ? 200 : 404;
        response.body = R"({"files": [{"filename": "a.whl", "hashes": {"sha256": "11"}}]})";
        return response;
      }};
  const auto listing = index.project("Demo_Pkg");
  EXPECT_EQ(listing.state, ListingState::listed);
  EXPECT_EQ(listing.index_url, "http://127.0.0.1:1/alice/dev/+simple/");
  ASSERT_NE(listing.find("a.whl"), nullptr);
  EXPECT_THAT(asked, ElementsAre("http://127.0.0.1:1/alice/dev/+simple/demo-pkg/ (auth)"));
}

TEST(pypiSimpleIndex, ARedirectElsewhereMeansTheProjectIsAbsent) {
  ResolvedRepository repository;
  repository.url = "http://127.0.0.1:1/";
  int calls = 0;
  SimpleIndex index{simple_index_candidates(repository.url, std::nullopt), repository,
                    [&calls](const std::string&, const std::string&, const ResolvedRepository*) {
                      ++calls;
                      HttpResponse response;
                      response.status = 303;  // pypiserver's fallback to pypi.org
                      response.location = "https://pypi.org/simple/demo-pkg/";
                      return response;
                    }};
  EXPECT_EQ(index.project("demo-pkg").state, ListingState::absent);
  EXPECT_EQ(calls, 1);
}

TEST(pypiSimpleIndex, ARedirectLoopWithinTheIndexIsAProblemNotAnAbsentProject) {
  ResolvedRepository repository;
  repository.url = "http://127.0.0.1:1/";
  for (const bool to_itself : {true, false}) {
    std::vector<std::string> asked;
    SimpleIndex index{simple_index_candidates(repository.url, std::nullopt), repository,
                      [&asked, to_itself](const std::string& url, const std::string&,
                                          const ResolvedRepository*) {
                        asked.push_back(url);
                        HttpResponse response;
                        response.status = 301;
                        const bool first = url.find("/simple/") != std::string::npos;
                        response.location = to_itself || !first
                                                ? "http://127.0.0.1:1/simple/demo-pkg/"
                                                : "http://127.0.0.1:1/b/demo-pkg/";
                        return response;
                      }};
    const auto listing = index.project("demo-pkg");
    EXPECT_EQ(listing.state, ListingState::unavailable);
    EXPECT_EQ(listing.problem,
              to_itself ? "http://127.0.0.1:1/simple/demo-pkg/: a redirect loop "
                          "(http://127.0.0.1:1/simple/demo-pkg/ -> "
                          "http://127.0.0.1:1/simple/demo-pkg/)"
                        : "http://127.0.0.1:1/simple/demo-pkg/: a redirect loop "
                          "(http://127.0.0.1:1/simple/demo-pkg/ -> http://127.0.0.1:1/b/demo-pkg/ "
                          "-> http://127.0.0.1:1/simple/demo-pkg/)");
    EXPECT_EQ(asked.size(), to_itself ? 1u : 2u);
  }
}

TEST(pypiSimpleIndex, ReadsTheApiVersionOfJsonAndHtmlPages) {
  EXPECT_EQ(simple_api_version(R"({"meta": {"api-version": "1.1"}, "files": []})", true), "1.1");
  EXPECT_EQ(simple_api_version(R"({"files": []})", true), std::nullopt);
  EXPECT_EQ(simple_api_version(
                R"(<html><head><META name="pypi:repository-version" content="1.0"></head></html>)",
                false),
            "1.0");
  EXPECT_EQ(simple_api_version("<html><meta charset=utf-8><a href=x>x</a></html>", false),
            std::nullopt);
}

// An index answering every project page with this JSON api-version.
SimpleIndex index_answering_api_version(const std::string& api_version) {
  ResolvedRepository repository;
  repository.url = "http://127.0.0.1:1/";
  return SimpleIndex{
      simple_index_candidates(repository.url, std::nullopt), repository,
      [api_version](const std::string&, const std::string&, const ResolvedRepository*) {
        HttpResponse response;
        response.status = 200;
        response.content_type = "application/vnd.pypi.simple.v1+json";
        response.body = R"({"meta": {"api-version": ")" + api_version +
                        R"("}, "files": [{"filename": "a.whl", "hashes": {"sha256": "11"}}]})";
        return response;
      }};
}

TEST(pypiSimpleIndex, ReadsANewerMinorApiVersionWithANoticeAndRefusesANewerMajor) {
  auto known = index_answering_api_version("1.1");
  EXPECT_EQ(known.project("a").state, ListingState::listed);
  EXPECT_EQ(known.take_notice(), "");

  auto newer_minor = index_answering_api_version("1.99");
  const auto listing = newer_minor.project("a");
  EXPECT_EQ(listing.state, ListingState::listed);
  ASSERT_NE(listing.find("a.whl"), nullptr);
  EXPECT_THAT(newer_minor.take_notice(), HasSubstr("simple API version 1.99, newer than 1.4"));
  EXPECT_EQ(newer_minor.take_notice(), "");  // shown once

  auto newer_major = index_answering_api_version("2.0");
  const auto refused = newer_major.project("a");
  EXPECT_EQ(refused.state, ListingState::unavailable);
  EXPECT_THAT(refused.problem, HasSubstr("simple API version 2.0 cannot be read by this "
                                         "docker-pipeline (it reads 1.x); upgrade"));
}

TEST(pypiRetryPolicy, BacksOffExponentiallyAndHonoursRetryAfter) {
  RetryPolicy policy;
  EXPECT_EQ(policy.delay_before(1, std::nullopt), std::chrono::seconds{1});
  EXPECT_EQ(policy.delay_before(2, std::nullopt), std::chrono::seconds{2});
  EXPECT_EQ(policy.delay_before(3, std::nullopt), std::chrono::seconds{4});
  EXPECT_EQ(policy.delay_before(20, std::nullopt), std::chrono::seconds{30});
  EXPECT_EQ(policy.delay_before(1, std::chrono::seconds{7}), std::chrono::seconds{7});
  EXPECT_TRUE(is_retryable_status(429));
  EXPECT_TRUE(is_retryable_status(502));
  EXPECT_FALSE(is_retryable_status(404));
}

TEST(pypiRetryPolicy, ParsesRetryAfterSecondsAndDates) {
  EXPECT_EQ(parse_retry_after("3", 0), std::chrono::seconds{3});
  const std::time_t now = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), std::chrono::seconds{10});
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), std::chrono::seconds{0});
  EXPECT_FALSE(parse_retry_after("", now).has_value());
  EXPECT_FALSE(parse_retry_after("soon", now).has_value());
}

TEST(pypiJournal, RecordsAndReadsBackPerRepository) {
  const test::TempDir directory;
  {
    UploadJournal journal{directory.path()};
    journal.record({"a.whl", "uploaded", "11", 3, "http://one/", "2024-01-01T00:00:00Z"});
    journal.record({"a.whl", "failed", "11", 3, "http://two/", "2024-01-01T00:00:01Z"});
    journal.record({"a.whl", "skipped", "11", 3, "http://one/", "2024-01-01T00:00:02Z"});
  }
  const UploadJournal journal{directory.path()};
  EXPECT_EQ(journal.find("a.whl", "http://one/")->outcome, "skipped");
  EXPECT_EQ(journal.find("a.whl", "http://two/")->outcome, "failed");
  EXPECT_FALSE(journal.find("b.whl", "http://one/").has_value());
  EXPECT_EQ(directory.entries(), 1u);  // no temporary file left behind
}

TEST(pypiJournal, AnUnreadableJournalCountsAsEmpty) {
  const test::TempDir directory;
  directory.write(std::string{UploadJournal::file_name}, "{not json");
  const UploadJournal journal{directory.path()};
  EXPECT_FALSE(journal.find("a.whl", "http://one/").has_value());
}

TEST(pypiJournal, AnEntryWithFieldsOfOtherTypesIsSkipped) {
  const test::TempDir directory;
  directory.write(std::string{UploadJournal::file_name},
                  R"({"files": [{"file": 1}, {"file": "a.whl", "size": "12"},
                      {"file": "b.whl", "outcome": "uploaded", "repository": "http://one/"}]})");
  const UploadJournal journal{directory.path()};
  EXPECT_FALSE(journal.find("a.whl", "").has_value());
  EXPECT_EQ(journal.find("b.whl", "http://one/")->outcome, "uploaded");
}

}  // namespace
}  // namespace dp::pypi

namespace dp::pypi {
namespace {

TEST(pypiSimpleLinks, ResolveAgainstTheProjectPage) {
  const std::string page = "http://127.0.0.1:8080/simple/demo/";
  EXPECT_EQ(resolve_link(page, "../../packages/demo-1.0.tar.gz"),
            "http://127.0.0.1:8080/packages/demo-1.0.tar.gz");
  EXPECT_EQ(resolve_link(page, "/files/demo-1.0.tar.gz"),
            "http://127.0.0.1:8080/files/demo-1.0.tar.gz");
  EXPECT_EQ(resolve_link(page, "demo-1.0.tar.gz"),
            "http://127.0.0.1:8080/simple/demo/demo-1.0.tar.gz");
  EXPECT_EQ(resolve_link(page, "https://files.example/d.whl"), "https://files.example/d.whl");
  EXPECT_EQ(resolve_link(page, "../../../../x"), "http://127.0.0.1:8080/x");
  // A page reached through a redirect to a bare origin is that origin's root.
  EXPECT_EQ(resolve_link("https://files.example", "demo-1.0.tar.gz"),
            "https://files.example/demo-1.0.tar.gz");
}

TEST(pypiSimpleLinks, PagesKeepEachFilesLinkWithoutItsFragment) {
  const auto html = parse_simple_html(
      R"(<a href="../../packages/demo-1.0.tar.gz#sha256=ab">demo-1.0.tar.gz</a>)");
  ASSERT_EQ(html.size(), 1u);
  EXPECT_EQ(html[0].href, "../../packages/demo-1.0.tar.gz");
  const auto json = parse_simple_json(
      R"({"files": [{"filename": "d.whl", "url": "https://f.example/d.whl#x", "hashes": {}}]})");
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0].href, "https://f.example/d.whl");
}

}  // namespace
}  // namespace dp::pypi
