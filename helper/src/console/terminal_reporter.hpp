#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "console/ci_log.hpp"
#include "stages/reporter.hpp"

namespace dp::console {

// The stages' lines on stdout and stderr, each flushed whole (upload's threads never interleave);
// on a terminal, one progress bar redrawn with '\r', cleared before the next stdout line. A plain
// log (stdout not a terminal, or `CI` set, as CI systems set it) gets no progress bar, and
// containers no terminal, so no colours and no redrawn lines. In a CI log (CiLog::current()), the
// secrets, annotations, summary tables and units go to it.
class TerminalReporter final : public stages::Reporter {
 public:
  explicit TerminalReporter(std::string command, bool progress_bars = false);
  void say(std::string_view text) override { line(stdout, "docker-pipeline: ", text); }
  void warn(std::string_view text) override { line(stderr, prefix_ + "warning: ", text); }
  void fail(std::string_view text) override;
  void print(std::string_view text) override { line(stdout, "", text); }
  void log(std::string_view text) override { line(stderr, "", text); }
  bool shows_progress() const override { return progress_bars_; }
  void progress(std::string_view file, std::uintmax_t sent, std::uintmax_t total) override;
  bool on_terminal() const override { return terminal_; }
  void mask(std::string_view secret) override;
  void annotate(const stages::Annotation& annotation) override;
  void summarize(const stages::SummaryTable& table) override;
  bool folds_units() const override;
  void unit_output(std::string_view unit, const std::vector<std::string>& lines) override;

 private:
  void line(std::FILE* stream, std::string_view prefix, std::string_view text);

  std::string prefix_;  // "docker-pipeline <command>: "
  bool terminal_;
  bool progress_bars_;
  std::mutex mutex_;
  bool bar_shown_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace dp::console
