#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docker/engine.hpp"
#include "process/process.hpp"

namespace dp::docker {

struct ContainerSpec {
  std::string image;
  std::vector<std::string> command;
  std::vector<std::pair<std::string, std::string>> labels;
  // Given to the engine as `--env NAME`, the value through the client's environment: values
  // (tokens, passwords) never appear in an argv that `ps` shows.
  std::vector<std::pair<std::string, std::string>> environment;
  bool tty = false;  // a terminal for the command (colours, line buffering) when ours is one
};

struct RunOutcome {
  int status = 0;  // the command's exit status; meaningless when timed out
  bool timed_out = false;
};

// A container created from an image and removed (with whatever it wrote, and its anonymous
// volumes) when this goes away, on success, on error and after an interrupt alike.
// Why a copy out of a container did not happen.
struct CopyFailure {
  std::string complaint;   // the engine's words
  bool not_found = false;  // the container has no such path (any other failure is the host's)
};

class Container {
 public:
  Container(const Engine& engine, const ContainerSpec& spec);
  ~Container();
  Container(const Container&) = delete;
  Container& operator=(const Container&) = delete;

  const std::string& id() const { return id_; }

  // Starts the container attached (live output) and waits for it. An interrupt kills the
  // container and throws process::Interrupted; the timeout kills it and is reported. With
  // `on_line`, the output (stdout and stderr) goes there line by line instead of to ours.
  RunOutcome run_attached(std::optional<std::chrono::milliseconds> timeout = std::nullopt,
                          std::function<void(std::string_view)> on_line = {});

  // Copies a file or folder of the host to `container_path`, which must not exist (a folder's
  // content then becomes that folder). Throws EngineError with the engine's complaint.
  void copy_in(const std::filesystem::path& host_path, const std::string& container_path);

  // Copies one file or folder to `host_path`, which must not exist; says why when it cannot (a
  // path the container does not have, a full disk). An engine that went away throws.
  std::optional<CopyFailure> try_copy(const std::string& container_path,
                                      const std::filesystem::path& host_path);

 private:
  process::Result docker(std::vector<std::string> args, const process::Options& base = {}) const;

  const Engine& engine_;
  std::string id_;
};

}  // namespace dp::docker
