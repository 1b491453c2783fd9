#pragma once

#include "cli/command.hpp"

namespace dp::cli {

// Runs a command; an exception becomes one line on stderr and an exit status, so no library code
// ever exits itself: process::Interrupted 128 + the signal; dp::InternalError (a bug) 70,
// "docker-pipeline <command>: internal error: ..."; any other 1, "... <command>: error: ...".
int run_reporting_errors(const Command& command);

}  // namespace dp::cli
