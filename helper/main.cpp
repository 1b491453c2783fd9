#include "cli/main_command.hpp"

int main(int argc, char** argv) { return dp::cli::run_main(argc, argv); }
