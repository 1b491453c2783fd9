#include "stages/test/test_env.hpp"

#include <fmt/core.h>

#include "text/file.hpp"

namespace dp::stages {

namespace fs = std::filesystem;

std::vector<std::string> with_test_env(const std::vector<std::string>& command) {
  // The folder is root's (docker cp) and open to all, so that an image's USER can delete the file.
  std::vector<std::string> wrapped = {
      "/bin/sh", "-c", fmt::format(". {0}/env && rm -f {0}/env && exec \"$@\"", kTestEnvFolder),
      "sh"};
  wrapped.insert(wrapped.end(), command.begin(), command.end());
  return wrapped;
}

std::string test_env_script(const Variables& variables) {
  std::string script;
  for (const auto& [name, value] : variables) {
    std::string quoted;
    for (const char c : value) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    script += fmt::format("export {}='{}'\n", name, quoted);
  }
  return script;
}

void copy_test_env(docker::Container& container, const Variables& variables,
                   const fs::path& staging) {
  const auto folder = staging / "env";
  fs::create_directories(folder);
  text::write_file_atomically(folder / "env", test_env_script(variables));
  fs::permissions(folder, fs::perms::all);
  fs::permissions(folder / "env", fs::perms::owner_read | fs::perms::owner_write |
                                      fs::perms::group_read | fs::perms::others_read);
  container.copy_in(folder, std::string(kTestEnvFolder));
}

}  // namespace dp::stages
