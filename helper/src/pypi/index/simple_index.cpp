#include "pypi/index/simple_index.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

#include "process/interrupts.hpp"
#include "pypi/dist/dist_names.hpp"
#include "pypi/errors.hpp"
#include "pypi/http/curl_session.hpp"
#include "text/entities.hpp"
#include "text/text.hpp"
#include "version/format_version.hpp"

namespace dp::pypi {
namespace {

using text::lowercase;
using text::trim;

std::string with_slash(std::string url) {
  if (!url.ends_with('/')) url += '/';
  return url;
}

std::string percent_decoded(std::string_view text) {
  std::string result;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      result += static_cast<char>(std::stoi(std::string{text.substr(i + 1, 2)}, nullptr, 16));
      i += 2;
    } else {
      result += text[i];
    }
  }
  return result;
}

// The value of attribute `name` inside a start tag's text, if present.
std::optional<std::string> attribute(std::string_view tag, std::string_view name) {
  const std::string lower = lowercase(tag);
  std::size_t position = 0;
  while ((position = lower.find(name, position)) != std::string::npos) {
    const bool starts_word =
        position > 0 && std::isspace(static_cast<unsigned char>(lower[position - 1]));
    std::size_t after = position + name.size();
    while (after < lower.size() && std::isspace(static_cast<unsigned char>(lower[after]))) ++after;
    if (!starts_word || after >= lower.size() || lower[after] != '=') {
      position += name.size();
      continue;
    }
    ++after;
    while (after < tag.size() && std::isspace(static_cast<unsigned char>(tag[after]))) ++after;
    if (after >= tag.size()) return std::nullopt;
    const char quote = tag[after];
    if (quote == '"' || quote == '\'') {
      const auto end = tag.find(quote, after + 1);
      return std::string{tag.substr(after + 1, end - after - 1)};
    }
    const auto end = tag.find_first_of(" \t\r\n", after);
    return std::string{tag.substr(after, end - after)};
  }
  return std::nullopt;
}

// PEP 629's rule for the simple API's version: a newer minor version is read with a warning, a
// newer major one is refused. What this helper reads (file names and sha256) is in 1.0.
constexpr version::FormatVersion newest_api_version{1, 4};

// The notice for a page of a newer minor api-version; throws for a newer major one.
std::string api_version_notice(const std::optional<std::string>& api_version,
                               const std::string& url) {
  if (!api_version) return "";
  switch (version::format_support(*api_version, newest_api_version)) {
    case version::FormatSupport::known:
      return "";
    case version::FormatSupport::newer_minor:
      return fmt::format(
          "{} answers with simple API version {}, newer than {}, the newest this docker-pipeline "
          "knows; read as {}",
          sanitized_url(url), *api_version, version::to_string(newest_api_version),
          version::to_string(newest_api_version));
    case version::FormatSupport::newer_major:
    case version::FormatSupport::malformed:
      break;
  }
  throw UploadError(fmt::format(
      "simple API version {} cannot be read by this docker-pipeline (it reads 1.x); upgrade "
      "docker-pipeline",
      *api_version));
}

bool is_json(const HttpResponse& response) {
  return lowercase(response.content_type).find("json") != std::string::npos ||
         trim(response.body).starts_with("{");
}

}  // namespace

std::vector<std::string> simple_index_candidates(std::string_view upload_url,
                                                 const std::optional<std::string>& index_url) {
  if (index_url) return {with_slash(*index_url)};
  const std::string url = with_slash(std::string{upload_url});
  const std::string origin = url_origin(url);
  std::vector<std::string> candidates;
  const auto add = [&candidates](std::string candidate) {
    if (std::find(candidates.begin(), candidates.end(), candidate) == candidates.end()) {
      candidates.push_back(std::move(candidate));
    }
  };
  if (origin == "https://upload.pypi.org") add("https://pypi.org/simple/");
  if (url.ends_with("/legacy/")) add(url.substr(0, url.size() - 7) + "simple/");
  const bool has_path = url.size() > origin.size() + 1;
  if (has_path) {
    add(url + "+simple/");
    add(url + "simple/");
  }
  add(origin + "/simple/");
  return candidates;
}

std::vector<IndexedFile> parse_simple_json(std::string_view body) {
  const auto page = nlohmann::json::parse(body, nullptr, false);
  if (page.is_discarded() || !page.is_object() || !page.contains("files") ||
      !page["files"].is_array()) {
    throw UploadError("not a PEP 691 project page (no files list)");
  }
  std::vector<IndexedFile> files;
  for (const auto& file : page["files"]) {
    if (!file.is_object() || !file.contains("filename") || !file["filename"].is_string()) continue;
    IndexedFile indexed{file["filename"].get<std::string>(), "", ""};
    if (file.contains("url") && file["url"].is_string()) {
      const auto url = file["url"].get<std::string>();
      indexed.href = url.substr(0, url.find('#'));
    }
    if (file.contains("hashes") && file["hashes"].is_object() &&
        file["hashes"].contains("sha256") && file["hashes"]["sha256"].is_string()) {
      indexed.sha256 = lowercase(file["hashes"]["sha256"].get<std::string>());
    }
    files.push_back(std::move(indexed));
  }
  return files;
}

std::optional<std::string> simple_api_version(std::string_view body, bool json) {
  if (json) {
    const auto page = nlohmann::json::parse(body, nullptr, false);
    if (page.is_object() && page.contains("meta") && page["meta"].is_object() &&
        page["meta"].contains("api-version") && page["meta"]["api-version"].is_string()) {
      return page["meta"]["api-version"].get<std::string>();
    }
    return std::nullopt;
  }
  const std::string lower = lowercase(body);
  for (auto position = lower.find("<meta"); position != std::string::npos;
       position = lower.find("<meta", position + 5)) {
    const auto tag_end = lower.find('>', position);
    if (tag_end == std::string::npos) break;
    const std::string_view tag = body.substr(position + 5, tag_end - position - 5);
    const auto name = attribute(tag, "name");
    if (name && lowercase(*name) == "pypi:repository-version") return attribute(tag, "content");
  }
  return std::nullopt;
}

std::vector<IndexedFile> parse_simple_html(std::string_view body) {
  const std::string lower = lowercase(body);
  std::vector<IndexedFile> files;
  std::size_t position = 0;
  while ((position = lower.find("<a", position)) != std::string::npos) {
    const auto tag_end = lower.find('>', position);
    if (tag_end == std::string::npos) break;
    if (!std::isspace(static_cast<unsigned char>(lower[position + 2]))) {
      position += 2;
      continue;
    }
    const std::string_view tag = body.substr(position + 2, tag_end - position - 2);
    const auto close = lower.find("</a", tag_end);
    const std::string_view text =
        body.substr(tag_end + 1, close == std::string::npos ? 0 : close - tag_end - 1);
    position = tag_end + 1;
    const auto href = attribute(tag, "href");
    if (!href) continue;
    const std::string link = text::decode_entities(*href);
    const auto hash = link.find('#');
    const std::string_view path = std::string_view{link}.substr(0, std::min(hash, link.find('?')));
    IndexedFile indexed;
    indexed.href = link.substr(0, hash);
    indexed.filename = std::string{trim(text)};
    if (indexed.filename.empty() || indexed.filename.find('<') != std::string::npos) {
      indexed.filename = percent_decoded(path.substr(path.rfind('/') + 1));
    }
    if (hash != std::string::npos &&
        std::string_view{link}.substr(hash + 1).starts_with("sha256=")) {
      indexed.sha256 = lowercase(link.substr(hash + 8));
    }
    if (!indexed.filename.empty()) files.push_back(std::move(indexed));
  }
  return files;
}

std::string resolve_link(std::string_view page_url, std::string_view href) {
  if (href.find("://") != std::string_view::npos) return std::string(href);
  if (href.starts_with('/')) return url_origin(page_url) + std::string(href);
  // A page URL without a path ("https://host", after a redirect) is the root of its origin.
  const auto authority = page_url.find("://");
  std::string base = authority != std::string_view::npos &&
                             page_url.find('/', authority + 3) == std::string_view::npos
                         ? std::string{page_url} + "/"
                         : std::string{page_url.substr(0, page_url.rfind('/') + 1)};
  const auto root = url_origin(base).size() + 1;
  while (href.starts_with("../") || href.starts_with("./")) {
    if (href.starts_with("./")) {
      href.remove_prefix(2);
      continue;
    }
    href.remove_prefix(3);
    if (base.size() > root) base.erase(base.rfind('/', base.size() - 2) + 1);
  }
  return base + std::string(href);
}

const IndexedFile* ProjectListing::find(std::string_view filename) const {
  for (const auto& file : files) {
    if (file.filename == filename) return &file;
  }
  return nullptr;
}

SimpleIndex::SimpleIndex(std::vector<std::string> candidates, ResolvedRepository repository,
                         SimpleFetch fetch)
    : candidates_(std::move(candidates)),
      repository_(std::move(repository)),
      fetch_(std::move(fetch)) {}

std::string SimpleIndex::take_notice() {
  std::lock_guard lock{mutex_};
  return std::exchange(notice_, std::string{});
}

ProjectListing SimpleIndex::project(std::string_view project_name) {
  std::vector<std::string> order;
  {
    std::lock_guard lock{mutex_};
    if (confirmed_) order.push_back(*confirmed_);
  }
  for (const auto& candidate : candidates_) {
    if (order.empty() || order.front() != candidate) order.push_back(candidate);
  }
  const std::string own_origin = url_origin(repository_.url);
  const std::string project = normalize_project_name(project_name) + "/";
  std::vector<std::string> problems;
  std::optional<std::string> absent_at;
  for (const auto& base : order) {
    std::string url = base + project;
    try {
      HttpResponse response;
      // Redirects within the index's origin are followed (at most 3); one back to a page already
      // asked, or a fourth, is a loop: a problem of the index, not a project it lacks.
      std::vector<std::string> visited{sanitized_url(url)};
      bool loop = false;
      for (int hops = 0;; ++hops) {
        const bool own = url_origin(url) == own_origin;
        response = fetch_(url, std::string{simple_api_accept}, own ? &repository_ : nullptr);
        if (!response.is_redirect() || response.location.empty() ||
            url_origin(response.location) != url_origin(base)) {
          break;
        }
        loop = hops == 3 ||
               std::find(visited.begin(), visited.end(), response.location) != visited.end();
        visited.push_back(response.location);
        if (loop) break;
        url = response.location;
      }
      if (loop) {
        problems.push_back(
            fmt::format("{}: a redirect loop ({})", visited.front(), fmt::join(visited, " -> ")));
        continue;
      }
      if (response.status == 200) {
        ProjectListing listing;
        listing.state = ListingState::listed;
        listing.index_url = base;
        listing.page_url = url;
        const bool json = is_json(response);
        auto notice = api_version_notice(simple_api_version(response.body, json), url);
        listing.files = json ? parse_simple_json(response.body) : parse_simple_html(response.body);
        std::lock_guard lock{mutex_};
        confirmed_ = base;
        if (notice_.empty() && !notice.empty()) notice_ = std::move(notice);
        return listing;
      }
      // A redirect to another origin is pypiserver's fallback for a project it does not have.
      if (response.status == 404 || response.status == 410 || response.is_redirect()) {
        if (!absent_at) absent_at = base;
      } else {
        problems.push_back(
            fmt::format("{}: HTTP {} {}", sanitized_url(url), response.status, response.reason));
      }
    } catch (const process::Interrupted&) {
      throw;  // not an answer of the index: the run stops
    } catch (const std::exception& error) {
      problems.push_back(fmt::format("{}: {}", sanitized_url(url), error.what()));
    }
  }
  ProjectListing listing;
  if (absent_at) {
    listing.state = ListingState::absent;
    listing.index_url = *absent_at;
  } else {
    listing.problem = fmt::format("{}", fmt::join(problems, "; "));
  }
  return listing;
}

}  // namespace dp::pypi
