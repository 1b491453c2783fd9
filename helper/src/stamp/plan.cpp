#include "stamp/plan.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "stamp/dynamic_version.hpp"
#include "stamp/file_io.hpp"
#include "stamp/locators.hpp"
#include "stamp/pattern.hpp"
#include "stamp/replace.hpp"
#include "stamp/stamp.hpp"

namespace dp::stamp {
namespace {

namespace fs = std::filesystem;

std::string joined(const std::vector<fs::path>& paths) {
  std::string text;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (i > 0) text += i + 1 == paths.size() ? " nor " : ", ";
    text += paths[i].string();
  }
  return text;
}

std::string stamp_source(const fs::path& path, std::string_view content, std::string_view version,
                         const DynamicVersion& source) {
  check_stampable(path, version);
  if (source.names.empty()) {
    return replace_spans(content, locate_plain_version(path, content), version);
  }
  const std::vector<std::string_view> names{source.names.begin(), source.names.end()};
  return replace_spans(content, locate_python_version(path, content, names), version);
}

class Planner {
 public:
  Planner(const StampOptions& options, const FileReader& read) : options_(options), read_(read) {}

  void stamp(const fs::path& file) {
    const auto path = file.lexically_normal();
    auto content = current(path);
    if (!content) throw StampError(fmt::format("{}: no such file to stamp", file.string()));
    if (options_.pattern) {
      record(path, path, *content,
             stamp_with_pattern(path, *content, options_.version, *options_.pattern));
    } else if (path.filename() == "pyproject.toml") {
      if (const auto source = find_dynamic_version(path, *content)) {
        stamp_dynamic(path, *source);
      } else {
        record(path, path, *content, stamp_content(path, *content, options_.version));
      }
    } else {
      record(path, path, *content, stamp_content(path, *content, options_.version));
    }
  }

  std::vector<FileEdit> take() { return std::move(edits_); }

 private:
  void stamp_dynamic(const fs::path& pyproject, const DynamicVersion& source) {
    std::vector<fs::path> candidates;
    for (const auto& candidate : source.candidates) {
      candidates.push_back((pyproject.parent_path() / candidate).lexically_normal());
    }
    for (const auto& candidate : candidates) {
      // Read errors too (the build stage refuses a file outside its context) name the setting.
      try {
        const auto content = current(candidate);
        if (!content) continue;
        record(candidate, pyproject, *content,
               stamp_source(candidate, *content, options_.version, source));
      } catch (const std::exception& e) {
        throw StampError(fmt::format("{}: the version is dynamic ({}), and {}", pyproject.string(),
                                     source.setting, e.what()));
      }
      return;
    }
    const auto missing = candidates.size() == 1
                             ? fmt::format("{} does not exist", candidates.front().string())
                             : fmt::format("neither {} exists", joined(candidates));
    throw StampError(fmt::format("{}: the version is dynamic ({}), and {}; {}", pyproject.string(),
                                 source.setting, missing, source.otherwise));
  }

  // The content as stamped so far, or as the reader has it.
  std::optional<std::string> current(const fs::path& path) {
    if (const auto* edit = find(path)) return edit->after;
    return read_(path);
  }

  void record(const fs::path& path, const fs::path& requested, std::string_view before,
              std::string after) {
    if (auto* edit = find(path)) {
      edit->after = std::move(after);
    } else {
      edits_.push_back({path, requested, std::string{before}, std::move(after)});
    }
  }

  FileEdit* find(const fs::path& path) {
    const auto edit = std::find_if(edits_.begin(), edits_.end(),
                                   [&](const FileEdit& e) { return e.path == path; });
    return edit == edits_.end() ? nullptr : &*edit;
  }

  const StampOptions& options_;
  const FileReader& read_;
  std::vector<FileEdit> edits_;
};

}  // namespace

FileReader disk_reader() {
  return [](const fs::path& path) -> std::optional<std::string> {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) return std::nullopt;
    return read_file(path);
  };
}

std::vector<FileEdit> plan_stamp(const std::vector<fs::path>& files, const StampOptions& options,
                                 const FileReader& read) {
  Planner planner{options, read};
  for (const auto& file : files) planner.stamp(file);
  return planner.take();
}

}  // namespace dp::stamp
