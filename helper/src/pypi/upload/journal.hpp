#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dp::pypi {

// One file's recorded outcome against one repository.
struct JournalEntry {
  std::string file;     // base name
  std::string outcome;  // "uploaded" | "skipped" | "failed"
  std::string sha256;
  std::uintmax_t size = 0;
  std::string repository;  // upload URL, without userinfo
  std::string time;        // UTC, ISO 8601
};

// The upload journal beside the dists: <dist folder>/.docker-pipeline-upload.json. It lets a
// later run send only what is missing. Each record() rewrites the file atomically (temporary
// file, then rename). Safe to use from several threads.
class UploadJournal {
 public:
  static constexpr std::string_view file_name = ".docker-pipeline-upload.json";

  // Reads the journal of `dist_folder`; a missing file is an empty journal, an unreadable
  // one is treated as empty too (it is a cache, not a source of truth).
  explicit UploadJournal(std::filesystem::path dist_folder);

  // The entry for this file and repository, if any.
  std::optional<JournalEntry> find(std::string_view file, std::string_view repository) const;
  // Replaces the entry for (file, repository) and saves it atomically (text::write_file_atomically:
  // a crash leaves the old journal or the new one). Throws text::FileError naming the journal
  // when it cannot be written.
  void record(JournalEntry entry);

  std::filesystem::path path() const;

 private:
  void save() const;

  std::filesystem::path folder_;
  mutable std::mutex mutex_;
  std::vector<JournalEntry> entries_;
};

// The current time as "2024-05-01T12:00:00Z".
std::string utc_timestamp();

}  // namespace dp::pypi
