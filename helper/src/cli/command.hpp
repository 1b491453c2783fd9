#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace dp::cli {

// One subcommand of docker-pipeline: its CLI11 node and what runs when it was chosen.
// run() returns the process exit status; errors are thrown as exceptions with context.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command add_version_command(CLI::App& parent);
Command add_stamp_command(CLI::App& parent);
Command add_build_command(CLI::App& parent);
Command add_test_command(CLI::App& parent);
Command add_check_command(CLI::App& parent);
Command add_upload_command(CLI::App& parent);
Command add_validate_command(CLI::App& parent);

}  // namespace dp::cli
