#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace dp::stages {

// A table of what a stage did, for a CI run's summary page (GitHub's step summary).
struct SummaryTable {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// A failure tied to a place in the sources: a failed test of a JUnit report.
struct Annotation {
  std::string file;  // empty: the report does not say
  int line = 0;      // 0: the report does not say
  std::string title;
  std::string message;
};

// Where a stage's messages go: the terminal (console/terminal_reporter) or, in the unit tests, a
// recording. Lines carry no newline; the reporter adds the helper's prefixes. Upload calls it
// from several threads at once: implementations serialize their own output.
class Reporter {
 public:
  virtual ~Reporter() = default;

  // What the stage is doing, on stdout: "docker-pipeline: <line>".
  virtual void say(std::string_view line) = 0;
  // On stderr: "docker-pipeline <command>: warning: <line>".
  virtual void warn(std::string_view line) = 0;
  // An outcome that is not an exception (tests failed or timed out), on stderr:
  // "docker-pipeline <command>: <line>".
  virtual void fail(std::string_view line) = 0;
  // The command's own output on stdout, as is: check's reports, upload's results and summary.
  virtual void print(std::string_view line) = 0;
  // Upload's warnings and --verbose log on stderr, as is.
  virtual void log(std::string_view line) = 0;

  // Whether progress() draws anything (a progress bar on a terminal); else it is never called.
  virtual bool shows_progress() const = 0;
  virtual void progress(std::string_view file, std::uintmax_t sent, std::uintmax_t total) = 0;
  // Whether stdout is a terminal, so the test container gets one too (colours, line buffering).
  virtual bool on_terminal() const = 0;
  // A secret this run holds (a password, a minted token): a CI log hides it wherever it would
  // appear (GitHub Actions' ::add-mask::). Elsewhere nothing is printed.
  virtual void mask(std::string_view /*secret*/) {}
  // For a CI log: a failed test where the sources say, the stage's tables for the run's summary.
  virtual void annotate(const Annotation& /*annotation*/) {}
  virtual void summarize(const SummaryTable& /*table*/) {}
  // Whether the output of a unit (a matrix variant, a verify image) is passed to unit_output()
  // whole once the unit is done, so that a CI log folds it into a section of its own; else it is
  // printed line by line, each naming the unit.
  virtual bool folds_units() const { return false; }
  virtual void unit_output(std::string_view /*unit*/, const std::vector<std::string>& /*lines*/) {}
  // Where a container's output goes: empty (the default), straight to stdout as it comes; else
  // line by line through the function (stages/parallel's PrefixedReporter).
  virtual std::function<void(std::string_view)> container_output() { return {}; }
};

}  // namespace dp::stages
