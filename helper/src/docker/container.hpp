#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "docker/engine.hpp"
#include "process/process.hpp"

namespace dp::docker {

// A container created from an image and removed (with whatever it wrote) when this goes away,
// on success, on error and after an interrupt alike.
class Container {
 public:
  Container(const Engine& engine, const std::string& image, const std::vector<std::string>& command,
            const std::vector<std::pair<std::string, std::string>>& labels);
  ~Container();
  Container(const Container&) = delete;
  Container& operator=(const Container&) = delete;

  const std::string& id() const { return id_; }

  // Starts the container attached (live output) and waits for it; an interrupt or the timeout
  // kills the container. Returns the container's exit status.
  int run_attached(std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  // Copies the contents of `container_dir` into `host_dir` (created, emptied first).
  void copy_out(const std::string& container_dir, const std::filesystem::path& host_dir);

 private:
  process::Result docker(std::vector<std::string> args) const;

  const Engine& engine_;
  std::string id_;
};

}  // namespace dp::docker
