#pragma once

#include "cli/command.hpp"

namespace dp::cli {

// Runs a command; an exception becomes one line on stderr ("docker-pipeline <command>: error: ...")
// and exit status 1, so no library code ever needs to exit() itself.
int run_reporting_errors(const Command& command);

}  // namespace dp::cli
