// Fuzz target over what the simple API of an index answers: PEP 691 JSON and PEP 503 HTML project
// pages, the api-version they declare (PEP 629) and the links they hold. Every input is read both
// ways, as an index may send either whatever it was asked for. Nothing escapes but UploadError,
// and every link resolves to a URL on or below the page's origin unless it names its own.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pypi/index/simple_index.hpp"

namespace {

using namespace dp::pypi;
using dp::fuzz::accepts;
using dp::fuzz::check;

struct Page {
  std::string_view url;
  std::string_view origin;
};
constexpr Page kPages[] = {
    {"https://example.org/simple/demo/", "https://example.org/"},
    {"http://127.0.0.1:8080/root/pypi/+simple/demo/", "http://127.0.0.1:8080/"},
    {"https://example.org", "https://example.org"}};

void check_files(const std::vector<IndexedFile>& files) {
  for (const auto& file : files) {
    for (const auto& page : kPages) {
      const auto url = resolve_link(page.url, file.href);
      check(file.href.find("://") != std::string::npos || url.starts_with(page.origin),
            "a relative link resolves outside the page's origin");
    }
    resolve_link("x", file.href);  // not a URL: no answer to check, but no crash either
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = dp::fuzz::as_text(data, size);
  accepts([&] { simple_api_version(body, true); });
  accepts([&] { simple_api_version(body, false); });
  std::vector<IndexedFile> files;
  if (accepts([&] { files = parse_simple_json(body); })) check_files(files);
  if (accepts([&] { files = parse_simple_html(body); })) check_files(files);
  // The first line as an upload URL, as a .pypirc or the command line may give any.
  const auto url = body.substr(0, std::min(body.find('\n'), std::size_t{512}));
  for (const auto& candidate : simple_index_candidates(url, std::nullopt)) {
    check(candidate.ends_with('/'), "a simple index candidate does not end in '/'");
  }
  return 0;
}
