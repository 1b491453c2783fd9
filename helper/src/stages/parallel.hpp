#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "stages/reporter.hpp"

// Running one stage's units (verify images, matrix variants) side by side.
namespace dp::stages {

// The jobs option when positive, else DOCKER_PIPELINE_JOBS, else the number of cores (at least
// 1). Throws dp::UserError naming a DOCKER_PIPELINE_JOBS that is not a positive number.
int jobs_from(int option);

// Runs work(i) for every i < count on up to `jobs` threads, this one among them. An exception
// from work(i) (an interrupt, or an error work does not handle itself) stops handing out more;
// the first is rethrown once every started work(i) has returned.
void run_parallel(std::size_t count, int jobs, const std::function<void(std::size_t)>& work);

// The reporter of one of several units running at once: every line it passes on starts with
// "[<name>] ", a container's output too, and nothing claims the terminal (no progress bar, no
// TTY for containers, whose output would interleave).
class PrefixedReporter final : public Reporter {
 public:
  PrefixedReporter(Reporter& inner, std::string_view name)
      : inner_(inner), prefix_("[" + std::string(name) + "] ") {}
  void say(std::string_view line) override { inner_.say(prefix_ + std::string(line)); }
  void warn(std::string_view line) override { inner_.warn(prefix_ + std::string(line)); }
  void fail(std::string_view line) override { inner_.fail(prefix_ + std::string(line)); }
  void print(std::string_view line) override { inner_.print(prefix_ + std::string(line)); }
  void log(std::string_view line) override { inner_.log(prefix_ + std::string(line)); }
  bool shows_progress() const override { return false; }
  void progress(std::string_view, std::uintmax_t, std::uintmax_t) override {}
  bool on_terminal() const override { return false; }
  std::function<void(std::string_view)> container_output() override {
    return [this](std::string_view line) { print(line); };
  }

 private:
  Reporter& inner_;
  std::string prefix_;
};

}  // namespace dp::stages
