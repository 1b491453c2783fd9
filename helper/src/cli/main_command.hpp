#pragma once

namespace dp::cli {

// docker-pipeline's main(): parses argv, runs the chosen command, returns the exit status.
int run_main(int argc, char** argv);

}  // namespace dp::cli
