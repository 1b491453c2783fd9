#include "pipeline/version_source.hpp"

#include <fmt/core.h>

#include "scm/git_version.hpp"
#include "text/file.hpp"
#include "text/text.hpp"

namespace dp::pipeline {
namespace {

namespace fs = std::filesystem;

std::string read_version_file(const fs::path& path) {
  const auto whole = text::read_file(path);
  if (!whole) {
    throw VersionSourceError(fmt::format("{}: cannot read the version file", path.string()));
  }
  const auto version = text::trim(*whole);
  if (version.empty()) {
    throw VersionSourceError(fmt::format("{}: the version file is empty", path.string()));
  }
  if (version.find_first_of(text::kWhitespace) != std::string_view::npos) {
    throw VersionSourceError(fmt::format("{}: a version file holds only the version, found '{}'",
                                         path.string(), version));
  }
  return std::string(version);
}

}  // namespace

VersionSource parse_version_source(std::string_view text, const fs::path& base) {
  const auto colon = text.find(':');
  const auto kind = text.substr(0, colon);
  const auto argument =
      colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  VersionSource source;
  if (kind == "git") {
    source.kind = VersionSource::Kind::git;
    source.path = argument.empty() ? base : base / argument;
  } else if (kind == "file" && !argument.empty()) {
    source.kind = VersionSource::Kind::file;
    source.path = base / argument;
  } else {
    throw VersionSourceError(
        fmt::format("unknown version source '{}'; use git, git:DIR or file:PATH", text));
  }
  source.path = source.path.lexically_normal();
  return source;
}

std::string read_version_source(const VersionSource& source) {
  switch (source.kind) {
    case VersionSource::Kind::fixed:
      return source.value;
    case VersionSource::Kind::git:
      return scm::version_from_git({.directory = source.path,
                                    .local = source.local,
                                    .tag_regex = source.tag_regex,
                                    .today = std::nullopt});
    case VersionSource::Kind::file:
      return read_version_file(source.path);
  }
  return {};
}

std::string describe(const VersionSource& source) {
  switch (source.kind) {
    case VersionSource::Kind::fixed:
      return source.value;
    case VersionSource::Kind::git:
      return fmt::format("git describe in {}", source.path.string());
    case VersionSource::Kind::file:
      return fmt::format("file {}", source.path.string());
  }
  return {};
}

}  // namespace dp::pipeline
