namespace dp::cli {
// docker-pipeline's main() (cli/main_command.cpp): parses argv, runs the chosen command, returns
// the exit status. Declared here, not in a header of cli/, which all include CLI11.
int run_main(int argc, char** argv);
}  // namespace dp::cli

int main(int argc, char** argv) {
  return dp::cli::run_main(argc, argv);
}
