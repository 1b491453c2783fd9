#include "pypi/upload/journal.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <system_error>

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
    entry.file = item.value("file", "");
    entry.outcome = item.value("outcome", "");
    entry.sha256 = item.value("sha256", "");
    entry.size = item.value("size", std::uintmax_t{0});
    entry.repository = item.value("repository", "");
    entry.time = item.value("time", "");
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
  const auto target = path();
  auto temporary = target;
  temporary += fmt::format(".{}.tmp", ::getpid());
  {
    std::ofstream stream{temporary, std::ios::trunc};
    stream << document.dump(2) << '\n';
    stream.flush();
    if (!stream) {
      const std::string why = std::strerror(errno);
      stream.close();
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw std::runtime_error(
          fmt::format("cannot write the upload journal {}: {}", temporary.string(), why));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, target, error);
  if (error) {
    const std::string why = error.message();
    std::filesystem::remove(temporary, error);
    throw std::runtime_error(
        fmt::format("cannot write the upload journal {}: {}", target.string(), why));
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
