#include "pypi/upload/journal.hpp"

#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "text/file.hpp"

namespace dp::pypi {

UploadJournal::UploadJournal(std::filesystem::path dist_folder) : folder_(std::move(dist_folder)) {
  std::ifstream stream{path()};
  if (!stream) return;
  const auto document = nlohmann::json::parse(stream, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("files") ||
      !document["files"].is_array()) {
    return;
  }
  for (const auto& item : document["files"]) {
    if (!item.is_object()) continue;
    JournalEntry entry;
    try {
      entry.file = item.value("file", "");
      entry.outcome = item.value("outcome", "");
      entry.sha256 = item.value("sha256", "");
      entry.size = item.value("size", std::uintmax_t{0});
      entry.repository = item.value("repository", "");
      entry.time = item.value("time", "");
    } catch (const nlohmann::json::type_error&) {
      continue;  // a field of another type than this helper writes: an entry it cannot read
    }
    if (!entry.file.empty()) entries_.push_back(std::move(entry));
  }
}

std::filesystem::path UploadJournal::path() const {
  return folder_ / file_name;
}

std::optional<JournalEntry> UploadJournal::find(std::string_view file,
                                                std::string_view repository) const {
  std::lock_guard lock{mutex_};
  for (const auto& entry : entries_) {
    if (entry.file == file && entry.repository == repository) return entry;
  }
  return std::nullopt;
}

void UploadJournal::record(JournalEntry entry) {
  std::lock_guard lock{mutex_};
  bool replaced = false;
  for (auto& existing : entries_) {
    if (existing.file == entry.file && existing.repository == entry.repository) {
      existing = entry;
      replaced = true;
    }
  }
  if (!replaced) entries_.push_back(std::move(entry));
  save();
}

void UploadJournal::save() const {
  nlohmann::json files = nlohmann::json::array();
  for (const auto& entry : entries_) {
    files.push_back({{"file", entry.file},
                     {"outcome", entry.outcome},
                     {"sha256", entry.sha256},
                     {"size", entry.size},
                     {"repository", entry.repository},
                     {"time", entry.time}});
  }
  const nlohmann::json document = {{"format", 1}, {"files", files}};
  try {
    text::write_file_atomically(path(), document.dump(2) + '\n');
  } catch (text::FileError& error) {
    error.add_context("cannot save the upload journal");
    throw;
  }
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  ::gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace dp::pypi
