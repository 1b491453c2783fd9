#pragma once

#include <filesystem>

// The fake container engine of data/docker/fake-engine.sh: a shell script that answers the docker
// client commands the helper uses from a state folder beside it, so that stages run in-process
// without an engine.
namespace dp::test {

// Copies the script to <dir>/bin/fake-engine, executable, and returns its path.
inline std::filesystem::path install_fake_engine(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  const auto engine = dir / "bin/fake-engine";
  fs::create_directories(engine.parent_path());
  fs::copy_file(fs::path(DP_TEST_DATA_DIR) / "docker/fake-engine.sh", engine);
  fs::permissions(engine, fs::perms::owner_all);
  return engine;
}

}  // namespace dp::test
