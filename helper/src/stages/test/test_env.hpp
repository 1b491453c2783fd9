#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docker/container.hpp"

// TEST_ENV without its values in the container's configuration. Given as `--env`, every value is
// in `docker inspect` for as long as the container exists, for anyone who may talk to the engine.
// Instead the values go into a file copied into the created container, which a shell reads and
// deletes before it runs the command: inspect shows the command, never a value.
namespace dp::stages {

using Variables = std::vector<std::pair<std::string, std::string>>;

// Where the file goes in the container.
inline constexpr std::string_view kTestEnvFolder = "/.docker-pipeline-env";

// `command`, run by a shell (the image's /bin/sh) after it exported the file's variables and
// deleted the file.
std::vector<std::string> with_test_env(const std::vector<std::string>& command);

// The file: one `export NAME='value'` line a variable, the value quoted for sh.
std::string test_env_script(const Variables& variables);

// Writes the file into a folder of `staging` (a folder of the caller's that goes away) and copies
// it into the container, which must not have started yet.
void copy_test_env(docker::Container& container, const Variables& variables,
                   const std::filesystem::path& staging);

}  // namespace dp::stages
