#include "pypi/check/release_versions.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fmt/core.h>

#include <memory>
#include <string>

#include "pypi/dist/dist_names.hpp"
#include "pypi/errors.hpp"
#include "text/text.hpp"
#include "version/pep440.hpp"

namespace dp::pypi {
namespace {

// The normalized version, or the text itself when it is no PEP 440 version (then it can only
// match itself, and `check` has already said what is wrong with it).
std::string normalized(std::string_view version) {
  try {
    return version::normalize(version);
  } catch (const version::VersionError&) {
    return std::string(version);
  }
}

std::string file_name_version(const Distribution& dist) {
  const auto name = dist.path.filename().string();
  if (dist.kind == DistKind::wheel) {
    if (const auto wheel = parse_wheel_name(name)) return wheel->version;
  } else if (const auto sdist = parse_sdist_name(name)) {
    return sdist->version;
  }
  return {};
}

std::string host_of(std::string_view url) {
  const std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), curl_url_cleanup);
  char* host = nullptr;
  if (!handle ||
      curl_url_set(handle.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK ||
      curl_url_get(handle.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK) {
    return {};
  }
  std::string result = host;
  curl_free(host);
  return text::lowercase(result);
}

}  // namespace

std::optional<std::string> release_version_mismatch(const Distribution& dist,
                                                    std::string_view expected) {
  const auto wanted = normalized(expected);
  for (const auto& [version, where] : {std::pair{dist.version(), "in its metadata"},
                                       std::pair{file_name_version(dist), "in its file name"}}) {
    if (normalized(version) != wanted) {
      return fmt::format(
          "version '{}' {} is not the pipeline's version {}; remove stale dists and run the "
          "test stage again, or check that STAMP covers the file the package's version comes from",
          version, where, wanted);
    }
  }
  return std::nullopt;
}

void require_release_version(const std::vector<Distribution>& dists, std::string_view expected) {
  for (const auto& dist : dists) {
    if (const auto mismatch = release_version_mismatch(dist, expected)) {
      throw DistributionError(
          fmt::format("{}: {} (nothing was uploaded)", dist.path.filename().string(), *mismatch));
    }
  }
}

bool is_loopback_url(std::string_view url) {
  auto host = host_of(url);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  in_addr ipv4{};
  return host == "localhost" || host.ends_with(".localhost") || host == "::1" ||
         (::inet_pton(AF_INET, host.c_str(), &ipv4) == 1 && (ntohl(ipv4.s_addr) >> 24) == 127);
}

void require_publishable_versions(const std::vector<Distribution>& dists,
                                  std::string_view repository_url, bool allowed) {
  if (allowed || is_loopback_url(repository_url)) return;
  for (const auto& dist : dists) {
    try {
      if (!version::is_local(version::parse(dist.version()))) continue;
    } catch (const version::VersionError&) {
      continue;  // `check` reports invalid versions
    }
    throw DistributionError(fmt::format(
        "{}: version {} is a local version, which indexes other than one on this host refuse; "
        "drop the local part (version --from git --no-local, VERSION_FROM GIT NO_LOCAL) or pass "
        "--allow-local-version (nothing was uploaded)",
        dist.path.filename().string(), dist.version()));
  }
}

}  // namespace dp::pypi
