// Fuzz target over what the helper makes of an index's refusals and error pages: the one-line
// excerpt of the body (markup, <head>, <style>, <script> dropped, entities decoded, cut), and the
// answers built on it (already there? why refused? where redirected?). The first byte picks the
// status and content type, the rest is the body. Nothing may throw, and an excerpt is one line of
// bounded length.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pypi/http/response_excerpt.hpp"
#include "pypi/upload/index_answers.hpp"

namespace {

using namespace dp::pypi;
using dp::fuzz::check;

constexpr std::array<long, 16> kStatuses = {200, 201, 301, 302, 303, 307, 308, 400,
                                            401, 403, 404, 409, 413, 429, 500, 503};
constexpr std::array<std::string_view, 4> kContentTypes = {"text/html; charset=utf-8", "text/plain",
                                                           "application/json", ""};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto input = dp::fuzz::as_text(data, size);
  const auto selector = static_cast<unsigned char>(input[0]);
  HttpResponse response;
  response.status = kStatuses[selector % kStatuses.size()];
  response.reason = "Reason";
  response.content_type = kContentTypes[(selector / kStatuses.size()) % kContentTypes.size()];
  response.body = input.substr(1);
  if (response.is_redirect()) response.location = response.body.substr(0, response.body.find('\n'));

  for (const std::size_t limit : {std::size_t{0}, std::size_t{20}, std::size_t{300}}) {
    const auto excerpt = response_excerpt(response.body, limit);
    check(excerpt.find('\n') == std::string::npos, "an excerpt holds a line break");
    check(excerpt.size() <= limit + 3, "an excerpt is longer than its limit");
  }
  is_already_existing(response);
  describe_response(response);
  if (response.is_redirect()) redirect_message(response, "http://127.0.0.1:8080/legacy/");
  ResolvedRepository repository;
  repository.url = "https://upload.pypi.org/legacy/";
  repository.username = "__token__";
  refusal_advice(response, repository);
  repository.url = "http://127.0.0.1:8080/";
  repository.username = "user";
  refusal_advice(response, repository);
  return 0;
}
