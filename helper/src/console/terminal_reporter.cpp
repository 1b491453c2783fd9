#include "console/terminal_reporter.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include "pypi/upload/upload_lines.hpp"

namespace dp::console {

namespace {

bool plain_log(const process::EnvironmentLookup& environment) {
  const auto ci = environment("CI");
  return ::isatty(STDOUT_FILENO) != 1 || (ci && !ci->empty() && *ci != "false" && *ci != "0");
}

}  // namespace

TerminalReporter::TerminalReporter(std::string command, bool progress_bars)
    : prefix_(fmt::format("docker-pipeline {}: ", command)),
      terminal_(!plain_log(process::process_environment())),
      progress_bars_(progress_bars && terminal_) {}

void TerminalReporter::fail(std::string_view text) {
  if (auto* ci = CiLog::current()) ci->failed(prefix_ + std::string(text));
  line(stderr, prefix_, text);
}

void TerminalReporter::mask(std::string_view secret) {
  std::lock_guard lock{mutex_};
  if (auto* ci = CiLog::current()) ci->mask(secret);
}

void TerminalReporter::annotate(const stages::Annotation& annotation) {
  std::lock_guard lock{mutex_};
  if (auto* ci = CiLog::current()) ci->annotate(annotation);
}

void TerminalReporter::summarize(const stages::SummaryTable& table) {
  if (auto* ci = CiLog::current()) ci->summarize(table);
}

bool TerminalReporter::folds_units() const {
  const auto* ci = CiLog::current();
  return ci != nullptr && ci->system() != CiSystem::none;
}

void TerminalReporter::unit_output(std::string_view unit, const std::vector<std::string>& lines) {
  std::lock_guard lock{mutex_};
  if (auto* ci = CiLog::current()) ci->unit(unit, lines);
}

void TerminalReporter::line(std::FILE* stream, std::string_view prefix, std::string_view text) {
  std::lock_guard lock{mutex_};
  if (auto* ci = CiLog::current()) ci->before_line();
  if (stream == stdout && bar_shown_) {
    fmt::print(stdout, "\r\033[K");
    bar_shown_ = false;
  }
  fmt::print(stream, "{}{}\n", prefix, text);
  std::fflush(stream);
}

void TerminalReporter::progress(std::string_view file, std::uintmax_t sent, std::uintmax_t total) {
  if (!progress_bars_ || total == 0) return;
  std::lock_guard lock{mutex_};
  const auto now = std::chrono::steady_clock::now();
  if (sent < total && now - last_draw_ < std::chrono::milliseconds{100}) return;
  last_draw_ = now;
  fmt::print(stdout, "\r{}\033[K", pypi::progress_line(file, sent, total));
  std::fflush(stdout);
  bar_shown_ = true;
}

}  // namespace dp::console
