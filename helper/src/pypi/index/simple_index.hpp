#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pypi/config/repository.hpp"
#include "pypi/http/http_client.hpp"

namespace dp::pypi {

// The Accept header of a simple-API request: PEP 691 JSON preferred, PEP 503 HTML accepted.
inline constexpr std::string_view simple_api_accept =
    "application/vnd.pypi.simple.v1+json, text/html;q=0.1";

// Where the simple API of the index behind an upload URL may be, in the order to try:
// `index_url` alone when given; else .../legacy/ -> .../simple/, devpi's <index>/+simple/,
// <url>/simple/ and <origin>/simple/ (pypiserver). Every result ends in '/'.
std::vector<std::string> simple_index_candidates(std::string_view upload_url,
                                                 const std::optional<std::string>& index_url);

// One file a project page lists; sha256 is "" when the page gives none.
struct IndexedFile {
  std::string filename;
  std::string sha256;
  std::string href;  // the link as the page gives it, without its #fragment (may be relative)
};

// The absolute URL of a link `href` on the page at `page_url` (RFC 3986 reference resolution
// for the forms index pages use: absolute, "/path", "../x" and "x").
std::string resolve_link(std::string_view page_url, std::string_view href);

// A PEP 691 JSON project page (files[].filename, files[].hashes.sha256).
// Throws UploadError when it is not one.
std::vector<IndexedFile> parse_simple_json(std::string_view body);
// The version a simple API page declares (PEP 629): "meta"."api-version" of a JSON page, the
// content of <meta name="pypi:repository-version"> of an HTML one; nothing when it declares none.
std::optional<std::string> simple_api_version(std::string_view body, bool json);
// A PEP 503 HTML project page: each anchor's text (or its href's last segment) and the
// "#sha256=" fragment of its href.
std::vector<IndexedFile> parse_simple_html(std::string_view body);

enum class ListingState {
  listed,      // the index answered with the project's page
  absent,      // the index does not know the project (404)
  unavailable  // no simple API answered usefully
};

struct ProjectListing {
  ListingState state = ListingState::unavailable;
  std::vector<IndexedFile> files;
  std::string index_url;  // the simple index that answered
  std::string page_url;   // the project page it answered with (links resolve against it)
  std::string problem;    // for unavailable: what each candidate answered

  const IndexedFile* find(std::string_view filename) const;
};

// Fetches a URL with an Accept header, with or without the repository's credentials.
using SimpleFetch = std::function<HttpResponse(const std::string& url, const std::string& accept,
                                               const ResolvedRepository* credentials)>;

// Asks the simple API of an index what files a project has. Tries the candidates in order and
// keeps to the first one that answers with a project page. Credentials go only to the upload
// URL's own origin; redirects are followed only within that origin (pypiserver sends unknown
// projects elsewhere, which counts as absent), at most 3 of them; a loop within it counts as no
// answer. A page of a newer major api-version than this helper reads counts as no answer. process::Interrupted goes through. Safe to use from several
// threads.
class SimpleIndex {
 public:
  SimpleIndex(std::vector<std::string> candidates, ResolvedRepository repository,
              SimpleFetch fetch);

  ProjectListing project(std::string_view project_name);

  // A warning worth showing once (an index answering with a newer minor api-version), or "";
  // cleared by the call.
  std::string take_notice();

 private:
  std::vector<std::string> candidates_;
  ResolvedRepository repository_;
  SimpleFetch fetch_;
  std::mutex mutex_;
  std::optional<std::string> confirmed_;
  std::string notice_;
};

}  // namespace dp::pypi
