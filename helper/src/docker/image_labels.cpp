#include "docker/image_labels.hpp"

#include <fmt/core.h>

#include <charconv>
#include <cstdlib>
#include <regex>
#include <stdexcept>

#include "process/process.hpp"
#include "text/text.hpp"

namespace dp::docker {
namespace {

namespace fs = std::filesystem;

// git's output, or nullopt when it fails. No optional locks: reading status must not take the
// index lock of a repository someone is working in.
std::optional<std::string> git(const fs::path& directory, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "--no-optional-locks", "-C", directory.string()});
  process::Options options;
  options.capture_stdout = options.capture_stderr = true;
  options.environment = {{"LC_ALL", "C"}};
  options.timeout = std::chrono::seconds(60);
  try {
    const auto result = process::run(args, options);
    if (!result.ok()) return std::nullopt;
    return std::string(text::trim(result.out));
  } catch (const process::ProcessError&) {
    return std::nullopt;  // no git
  }
}

}  // namespace

SourceRevision git_source_revision(const fs::path& context) {
  SourceRevision source;
  const auto head = git(context, {"rev-parse", "--verify", "--quiet", "HEAD"});
  if (!head || head->empty()) return source;
  source.revision = *head;
  // Only the context's files go into the image, so only they make it dirty.
  const auto changes = git(context, {"status", "--porcelain", "--untracked-files=no", "--", "."});
  if (changes && !changes->empty()) source.revision += "-dirty";

  auto remote = git(context, {"config", "--get", "remote.origin.url"});
  if (!remote || remote->empty()) {
    const auto remotes = git(context, {"remote"});
    if (remotes && !remotes->empty() && remotes->find('\n') == std::string::npos) {
      remote = git(context, {"config", "--get", "remote." + *remotes + ".url"});
    }
  }
  if (remote && !remote->empty()) {
    const auto top = git(context, {"rev-parse", "--show-toplevel"});
    source.source = label_source_url(*remote, top ? fs::path(*top) : context);
  }
  return source;
}

std::string label_source_url(const std::string& remote_url, const fs::path& base) {
  static const std::regex with_scheme(R"(^([A-Za-z][A-Za-z0-9+.-]*://)([^/@]*@)?(.*)$)");
  static const std::regex scp_like(R"(^[^/:]+@?[^/:]*:.*$)");
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
    throw std::runtime_error(fmt::format("cannot represent time {} as UTC", time));
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
    throw std::runtime_error(
        fmt::format("SOURCE_DATE_EPOCH={}: expected seconds since 1970-01-01 UTC", text));
  }
  return rfc3339_utc(static_cast<std::time_t>(seconds));
}

std::vector<std::pair<std::string, std::string>> OciLabels::labels() const {
  std::vector<std::pair<std::string, std::string>> result = {
      {"org.opencontainers.image.version", version},
      {"org.opencontainers.image.title", title},
  };
  if (!source.revision.empty()) result.emplace_back(kRevisionLabel, source.revision);
  if (!source.source.empty()) result.emplace_back("org.opencontainers.image.source", source.source);
  result.emplace_back(kCreatedLabel, created);
  return result;
}

}  // namespace dp::docker
