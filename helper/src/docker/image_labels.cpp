#include "docker/image_labels.hpp"

#include <fmt/core.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "process/git.hpp"

namespace dp::docker {

namespace fs = std::filesystem;

// What follows a URL scheme's first letter (RFC 3986).
constexpr std::string_view kSchemeCharacters =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-";

SourceRevision git_source_revision(const fs::path& context) {
  SourceRevision source;
  // Each fact is optional: a failing command (no git, no checkout, no remote) leaves it out.
  const process::Git git{context};
  const auto head = git.try_output({"rev-parse", "--verify", "--quiet", "HEAD"});
  if (!head || head->empty()) return source;
  source.revision = *head;
  // Only the context's files go into the image, so only they make it dirty.
  const auto changes = git.try_output({"status", "--porcelain", "--untracked-files=no", "--", "."});
  if (changes && !changes->empty()) source.revision += "-dirty";

  auto remote = git.try_output({"config", "--get", "remote.origin.url"});
  if (!remote || remote->empty()) {
    const auto remotes = git.try_output({"remote"});
    if (remotes && !remotes->empty() && remotes->find('\n') == std::string::npos) {
      remote = git.try_output({"config", "--get", "remote." + *remotes + ".url"});
    }
  }
  if (remote && !remote->empty()) {
    const auto top = git.try_output({"rev-parse", "--show-toplevel"});
    source.source = label_source_url(*remote, top ? fs::path(*top) : context);
  }
  return source;
}

std::optional<std::string> git_commit_time(const fs::path& context) {
  const auto time = process::Git{context}.try_output({"log", "-1", "--format=%ct", "--", "."});
  if (!time || time->empty()) return std::nullopt;
  return time;
}

std::string label_source_url(const std::string& remote_url, const fs::path& base) {
  // scheme://[userinfo@]rest: the userinfo (a token, often) is dropped, however long the URL.
  if (const auto separator = remote_url.find("://");
      separator != std::string::npos && separator > 0 && std::isalpha(remote_url.front()) &&
      remote_url.find_first_not_of(kSchemeCharacters, 1) == separator) {
    const auto authority = separator + 3;
    const auto at = remote_url.find('@', authority);
    if (at != std::string::npos && at < remote_url.find('/', authority)) {
      return remote_url.substr(0, authority) + remote_url.substr(at + 1);
    }
    return remote_url;
  }
  // user@host:path (scp-like): a ':' before any '/', not first.
  if (const auto colon = remote_url.find_first_of(":/");
      colon != std::string::npos && colon > 0 && remote_url[colon] == ':') {
    return remote_url;  // git@host:org/repo.git
  }
  auto path = fs::path(remote_url);
  if (path.is_relative()) path = base / path;
  return "file://" + path.lexically_normal().generic_string();
}

std::string rfc3339_utc(std::time_t time) {
  std::tm utc{};
  if (gmtime_r(&time, &utc) == nullptr) {
    throw UserError(fmt::format("cannot represent time {} as UTC", time));
  }
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string created_timestamp() {
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (epoch == nullptr || *epoch == '\0') return rfc3339_utc(std::time(nullptr));
  long long seconds = 0;
  const std::string_view text{epoch};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc{} || end != text.data() + text.size() || seconds < 0) {
    throw UserError(
        fmt::format("SOURCE_DATE_EPOCH={}: expected seconds since 1970-01-01 UTC", text));
  }
  return rfc3339_utc(static_cast<std::time_t>(seconds));
}

std::vector<std::pair<std::string, std::string>> OciLabels::labels() const {
  std::vector<std::pair<std::string, std::string>> result = {
      {kVersionLabel, version},
      {"org.opencontainers.image.title", title},
  };
  if (!source.revision.empty()) result.emplace_back(kRevisionLabel, source.revision);
  if (!source.source.empty()) result.emplace_back("org.opencontainers.image.source", source.source);
  result.emplace_back(kCreatedLabel, created);
  if (!variant.empty()) result.emplace_back(kVariantLabel, variant);
  return result;
}

}  // namespace dp::docker
