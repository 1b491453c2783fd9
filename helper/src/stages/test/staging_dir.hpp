#pragma once

#include <filesystem>
#include <vector>

// Staging folders: where the test and verify stages assemble what they copy out of or into a
// container, so that a half-done copy is never where its result belongs.
namespace dp::docker {

// A fresh folder in `parent`, removed with its content when this goes away (also on an
// interrupt). It names the helper that made it, so that the next run can remove it when a SIGKILL
// left it behind.
class StagingDir {
 public:
  explicit StagingDir(const std::filesystem::path& parent);
  ~StagingDir();
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Removes the staging folders in `parent` whose helper is gone (killed during a copy); returns
// them. A folder of a helper that may still run, or that names none, is left alone.
std::vector<std::filesystem::path> remove_stale_staging(const std::filesystem::path& parent);

}  // namespace dp::docker
