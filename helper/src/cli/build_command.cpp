#include <CLI/CLI.hpp>

#include <stdexcept>

#include "cli/command.hpp"

namespace dp::cli {

// Placeholder until the component lands.
Command add_build_command(CLI::App& parent) {
  auto* app = parent.add_subcommand("build", "(not implemented yet)");
  return {app, [] () -> int { throw std::runtime_error("not implemented yet"); }};
}

}  // namespace dp::cli
