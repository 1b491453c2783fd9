#include "stages/stamp/stamp_stage.hpp"

#include <fmt/core.h>

#include "stamp/file_io.hpp"
#include "stamp/line_diff.hpp"
#include "stamp/plan.hpp"
#include "version/pep440.hpp"

namespace dp::stages {

int run_stamp_stage(const StampRequest& request, Reporter& reporter) {
  const auto version =
      request.source ? read_version_from(*request.source) : version::normalize(request.version);
  const auto plan = stamp::plan_stamp(
      request.files, {version, request.pattern, std::nullopt, std::nullopt}, stamp::disk_reader());

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
      stamp::write_file_atomically(edit.path, edit.after);
      reporter.print(
          fmt::format("{}: stamped {} -> {} {}", name, edit.old_version, edit.new_version, note));
    }
  }
  return 0;
}

}  // namespace dp::stages
