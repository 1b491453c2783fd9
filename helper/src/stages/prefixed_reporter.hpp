#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "stages/reporter.hpp"

namespace dp::stages {

// The reporter of one of several units running at once: every line it passes on starts with
// "[<name>] ", a container's output too, and nothing claims the terminal (no progress bar, no
// TTY for containers, whose output would interleave). Where the reporter folds units (a CI log),
// the unit's output (print, log, the container's) is kept and passed on whole when this goes;
// its status lines (say, warn, fail) still go at once.
class PrefixedReporter final : public Reporter {
 public:
  PrefixedReporter(Reporter& inner, std::string_view name)
      : inner_(inner), name_(name), prefix_("[" + std::string(name) + "] ") {}
  ~PrefixedReporter() override {
    if (!kept_.empty()) inner_.unit_output(name_, kept_);
  }
  PrefixedReporter(const PrefixedReporter&) = delete;
  PrefixedReporter& operator=(const PrefixedReporter&) = delete;

  void say(std::string_view line) override { inner_.say(prefix_ + std::string(line)); }
  void warn(std::string_view line) override { inner_.warn(prefix_ + std::string(line)); }
  void fail(std::string_view line) override { inner_.fail(prefix_ + std::string(line)); }
  void print(std::string_view line) override { output(line, &Reporter::print); }
  void log(std::string_view line) override { output(line, &Reporter::log); }
  bool shows_progress() const override { return false; }
  void progress(std::string_view, std::uintmax_t, std::uintmax_t) override {}
  bool on_terminal() const override { return false; }
  void mask(std::string_view secret) override { inner_.mask(secret); }
  void annotate(const Annotation& annotation) override { inner_.annotate(annotation); }
  void summarize(const SummaryTable& table) override { inner_.summarize(table); }
  std::function<void(std::string_view)> container_output() override {
    return [this](std::string_view line) { print(line); };
  }

 private:
  void output(std::string_view line, void (Reporter::*pass)(std::string_view)) {
    if (!inner_.folds_units()) return (inner_.*pass)(prefix_ + std::string(line));
    const std::lock_guard lock{mutex_};
    kept_.emplace_back(line);
  }

  Reporter& inner_;
  std::string name_;
  std::string prefix_;
  std::mutex mutex_;
  std::vector<std::string> kept_;
};

}  // namespace dp::stages
