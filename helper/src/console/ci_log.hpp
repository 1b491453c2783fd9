#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "process/environment.hpp"
#include "stages/reporter.hpp"

// What a CI system's log makes of the helper's output: a collapsible section per command (and per
// matrix variant or verify image), annotations for errors and failed tests, masked secrets, and
// on GitHub Actions the step summary, in GitHub's workflow commands or GitLab CI's section markers.
namespace dp::console {

enum class CiSystem {
  none,    // a terminal or a plain log
  github,  // GITHUB_ACTIONS=true
  gitlab,  // GITLAB_CI=true
};

CiSystem detect_ci(const process::EnvironmentLookup& environment);

// The CI log of one command run, from its start to finish(): the command's output is a section
// titled "docker-pipeline <command> <name>" (the pipeline's name from its file,
// <name>.pipeline.json, when given): "::group::"/"::endgroup::" on GitHub Actions, GitLab's
// collapsed section_start/section_end elsewhere, nothing outside CI. While it exists it is
// current(), where the reporter finds it. Its methods may be called from several threads.
class CiLog {
 public:
  CiLog(CiSystem system, std::string_view command, const std::string& pipeline_file,
        const process::EnvironmentLookup& environment, std::FILE* out = stdout);
  ~CiLog();  // ends the section, if finish() did not
  CiLog(const CiLog&) = delete;
  CiLog& operator=(const CiLog&) = delete;

  static CiLog* current();
  CiSystem system() const { return system_; }

  // Ends the section; for a failure (status != 0) an error annotation after it, saying why:
  // `failure`, else the last line given to failed(), else the status. On GitHub Actions, appends
  // the command's result, time and summarize()d tables to $GITHUB_STEP_SUMMARY.
  void finish(int status, std::string_view failure);

  // Before a line of the command's own: reopens its section after a unit's (GitHub's cannot nest).
  void before_line();
  // A unit's lines (a matrix variant, a verify image), all at once: a section of their own,
  // "docker-pipeline <command> <name>: <unit>".
  void unit(std::string_view name, const std::vector<std::string>& lines);
  // A failed test where its report says (GitHub: "::error file=,line=,title=::"); paths under
  // $GITHUB_WORKSPACE are made relative to it, as annotations want them.
  void annotate(const stages::Annotation& annotation);
  // Hides `secret` in the rest of the log (GitHub: "::add-mask::").
  void mask(std::string_view secret);
  // A table for the step summary; one of the same title and header gets the rows.
  void summarize(const stages::SummaryTable& table);
  // A line that says the command failed without an exception (tests failed): the annotation's
  // reason if the command then fails.
  void failed(std::string_view line);

 private:
  void open(std::string_view title);  // with the mutex held
  void close();

  CiSystem system_;
  std::FILE* out_;
  std::string command_;
  std::string title_;  // "docker-pipeline <command> <name>"
  std::string name_;   // GitLab's section name: [a-z0-9_]
  std::string summary_file_;
  std::string workspace_;
  std::chrono::steady_clock::time_point started_;
  std::mutex mutex_;
  bool open_ = false;
  bool finished_ = false;
  std::string failure_line_;
  std::vector<stages::SummaryTable> tables_;
  CiLog* previous_;
};

// The line that makes a failed command's message an annotation of the run
// ("::error title=docker-pipeline <command>::<message>" on GitHub Actions, the message escaped as
// workflow commands want it); "" where the CI shows errors by other means.
std::string ci_error_line(CiSystem system, std::string_view command, std::string_view message);

// The line that hides a secret in the rest of the log ("::add-mask::<value>" on GitHub Actions,
// which prints it as ***); "" elsewhere, and for a value with a line break, which the command
// could not carry whole.
std::string ci_mask_line(CiSystem system, std::string_view secret);

// A GitHub-flavoured Markdown table: a header row, the delimiter row, the rows; '|' and line breaks
// in cells escaped.
std::string markdown_table(const stages::SummaryTable& table);

}  // namespace dp::console
