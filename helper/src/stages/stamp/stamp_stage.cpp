#include "stages/stamp/stamp_stage.hpp"

#include <fmt/core.h>

#include "stamp/file_io.hpp"
#include "stamp/line_diff.hpp"
#include "stamp/plan.hpp"
#include "version/pep440.hpp"

namespace dp::stages {
namespace {

// The version to write: the one given, normalized, or the source's (read in the request's
// directory unless the source names its own).
std::string version_of(const StampRequest& request) {
  if (!request.source) return version::normalize(request.version);
  auto source = *request.source;
  if (source.directory.empty()) source.directory = request.directory;
  return read_version_from(source);
}

// The disk, relative paths read below `directory` (as is when it is empty).
stamp::FileReader reader_in(const std::filesystem::path& directory) {
  return [read = stamp::disk_reader(), directory](const std::filesystem::path& path) {
    return read(directory / path);
  };
}

}  // namespace

int run_stamp_stage(const StampRequest& request, Reporter& reporter) {
  const auto version = version_of(request);
  const auto plan =
      stamp::plan_stamp(request.files, {version, request.pattern, std::nullopt, std::nullopt},
                        reader_in(request.directory));

  for (const auto& edit : plan.edits) {
    const auto name = edit.path.string();
    const auto note = stamp::reader_note(edit);
    if (!edit.changes()) {
      reporter.print(fmt::format("{}: already {} {}", name, edit.new_version, note));
    } else if (request.dry_run) {
      auto line =
          fmt::format("{}: would stamp {} -> {} {}\n{}", name, edit.old_version, edit.new_version,
                      note, stamp::line_diff(name, edit.before, edit.after));
      line.pop_back();  // the diff's last newline: print() ends the line
      reporter.print(line);
    } else {
      stamp::write_file_atomically(request.directory / edit.path, edit.after);
      reporter.print(
          fmt::format("{}: stamped {} -> {} {}", name, edit.old_version, edit.new_version, note));
    }
  }
  return 0;
}

}  // namespace dp::stages
