#pragma once

#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dp::docker {

// Where the context's source comes from, when it is in a git checkout.
struct SourceRevision {
  std::string revision;  // HEAD's sha, with "-dirty" when tracked files in the context differ
  std::string source;    // the origin remote's URL without credentials; empty without one
};

// Empty fields when `context` is not in a git checkout (or git is not installed).
SourceRevision git_source_revision(const std::filesystem::path& context);

// The commit time (seconds since the epoch, as text) of the newest commit that changed a file of
// `context`: the default SOURCE_DATE_EPOCH of its builds. It moves only when the context's
// committed files do, so a commit elsewhere in the repository builds nothing new. Nothing when
// `context` is not in a git checkout or no commit touched it.
std::optional<std::string> git_commit_time(const std::filesystem::path& context);

// A remote URL fit for a label: user and password of `scheme://user:pass@host/...` removed, a
// local path made a file:// URL.
std::string label_source_url(const std::string& remote_url, const std::filesystem::path& base);

// The build time as RFC 3339 UTC (2026-01-02T03:04:05Z): SOURCE_DATE_EPOCH when set, else now.
// Throws when SOURCE_DATE_EPOCH is not a number of seconds.
std::string created_timestamp();
std::string rfc3339_utc(std::time_t time);

// The OCI labels every image gets, in this order. `created` and `revision` are not inputs of the
// image: a commit that changes none of the context's files does not make another image, and the
// revision label then names the commit the image was built at.
struct OciLabels {
  std::string version;
  std::string title;
  SourceRevision source;
  std::string created;
  std::string variant;  // the MATRIX variant, as kVariantLabel; empty: no matrix

  std::vector<std::pair<std::string, std::string>> labels() const;
};

inline constexpr const char* kVersionLabel = "org.opencontainers.image.version";
inline constexpr const char* kCreatedLabel = "org.opencontainers.image.created";
inline constexpr const char* kRevisionLabel = "org.opencontainers.image.revision";
inline constexpr const char* kVariantLabel = "io.docker-pipeline.variant";

}  // namespace dp::docker
