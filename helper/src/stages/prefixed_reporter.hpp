#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "stages/reporter.hpp"

namespace dp::stages {

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
  void mask(std::string_view secret) override { inner_.mask(secret); }
  std::function<void(std::string_view)> container_output() override {
    return [this](std::string_view line) { print(line); };
  }

 private:
  Reporter& inner_;
  std::string prefix_;
};

}  // namespace dp::stages
