#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stages/reporter.hpp"

namespace dp::test {

// Keeps what a stage reports, each line as the terminal would show it ("docker-pipeline: ...",
// "docker-pipeline <command>: warning: ..."), in `out` (stdout) and `err` (stderr).
class RecordingReporter final : public stages::Reporter {
 public:
  explicit RecordingReporter(std::string command = "stage", bool progress = false)
      : prefix_("docker-pipeline " + command + ": "), progress_(progress) {}

  void say(std::string_view line) override { add(out, "docker-pipeline: ", line); }
  void warn(std::string_view line) override { add(err, prefix_ + "warning: ", line); }
  void fail(std::string_view line) override { add(err, prefix_, line); }
  void print(std::string_view line) override { add(out, "", line); }
  void log(std::string_view line) override { add(err, "", line); }
  bool shows_progress() const override { return progress_; }
  void progress(std::string_view file, std::uintmax_t sent, std::uintmax_t total) override {
    std::lock_guard lock{mutex_};
    progress_calls.push_back(std::string{file} + " " + std::to_string(sent) + "/" +
                             std::to_string(total));
  }
  bool on_terminal() const override { return false; }
  void mask(std::string_view secret) override { add(masked, "", secret); }
  void annotate(const stages::Annotation& annotation) override {
    std::lock_guard lock{mutex_};
    annotations.push_back(annotation);
  }
  void summarize(const stages::SummaryTable& table) override {
    std::lock_guard lock{mutex_};
    tables.push_back(table);
  }
  bool folds_units() const override { return folds; }
  void unit_output(std::string_view unit, const std::vector<std::string>& lines) override {
    std::lock_guard lock{mutex_};
    units.emplace_back(unit, lines);
  }

  bool folds = false;  // as a CI log's reporter: units' output comes to unit_output() whole
  std::string out;     // every line with its newline, as the terminal reporter writes them
  std::string err;
  std::vector<std::string> progress_calls;
  std::string masked;
  std::vector<stages::Annotation> annotations;
  std::vector<stages::SummaryTable> tables;
  std::vector<std::pair<std::string, std::vector<std::string>>> units;

 private:
  void add(std::string& stream, std::string_view prefix, std::string_view line) {
    std::lock_guard lock{mutex_};
    stream.append(prefix).append(line).append("\n");
  }

  std::string prefix_;
  bool progress_;
  std::mutex mutex_;
};

}  // namespace dp::test
