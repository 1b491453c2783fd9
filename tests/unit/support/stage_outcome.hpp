#pragma once

#include <exception>
#include <functional>
#include <string>

#include "core/errors.hpp"
#include "process/interrupts.hpp"
#include "stages/reporter.hpp"
#include "support/recording_reporter.hpp"

namespace dp::test {

// What the command running a stage prints and exits with (as cli/main_command.cpp maps exceptions),
// for assertions written against the command's output.
struct StageOutcome {
  int exit_code = 0;
  std::string out;
  std::string err;
};

inline StageOutcome run_stage(const std::string& command,
                              const std::function<int(stages::Reporter&)>& stage) {
  RecordingReporter reporter{command};
  StageOutcome outcome;
  const std::string prefix = "docker-pipeline " + command + ": ";
  try {
    outcome.exit_code = stage(reporter);
  } catch (const process::Interrupted& e) {
    reporter.log(prefix + e.what());
    outcome.exit_code = 128 + e.signal();
  } catch (const InternalError& e) {
    reporter.log(prefix + "internal error: " + e.what());
    outcome.exit_code = 70;
  } catch (const std::exception& e) {
    reporter.log(prefix + "error: " + e.what());
    outcome.exit_code = 1;
  }
  outcome.out = reporter.out;
  outcome.err = reporter.err;
  return outcome;
}

}  // namespace dp::test
