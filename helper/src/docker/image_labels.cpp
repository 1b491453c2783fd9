#include "docker/image_labels.hpp"

#include <fmt/core.h>

#include <charconv>
#include <cstdlib>
#include <regex>
#include <stdexcept>

#include "process/git.hpp"
#include "text/text.hpp"

namespace dp::docker {

namespace fs = std::filesystem;

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
  static const std::regex with_scheme(R"(^([A-Za-z][A-Za-z0-9+.-]*://)([^/@]*@)?(.*)$)");
  static const std::regex scp_like(R"(^[^/:]+@?[^/:]*:.*$)");
  if (!text::fits_regex(remote_url)) return remote_url;
  std::smatch match;
  if (std::regex_match(remote_url, match, with_scheme)) return match[1].str() + match[3].str();
  if (std::regex_match(remote_url, scp_like) && !fs::path(remote_url).is_absolute()) {
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
