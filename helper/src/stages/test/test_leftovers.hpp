#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docker/engine.hpp"

// Containers of a pipeline left behind by a helper that could not remove them (killed with
// SIGKILL, a crash, a reboot), found through their labels and removed by the next test run.
namespace dp::docker {

inline constexpr const char* kPipelineLabel = "io.docker-pipeline.pipeline";
inline constexpr const char* kOwnerLabel = "io.docker-pipeline.owner";

// The helper process that created a container: enough to tell on this machine whether it still
// runs, with the pid namespace (CI jobs in containers of one host share its boot id) and the
// process's start time (pids are reused).
struct ContainerOwner {
  std::string host;
  std::string boot_id;
  std::string pid_namespace;
  long pid = 0;
  unsigned long long start_time = 0;  // clock ticks after boot, /proc/<pid>/stat field 22
};

ContainerOwner current_owner();
std::string format_owner(const ContainerOwner& owner);
// Nothing for a label this helper did not write.
std::optional<ContainerOwner> parse_owner(std::string_view label);

// The start time of a process of this machine, or nothing when it does not exist or is a zombie.
std::optional<unsigned long long> process_start_time(long pid);

enum class OwnerState { alive, gone, unknown };

// `unknown`: no owner label, or a helper on another machine (a remote engine), whose processes
// cannot be seen from here.
OwnerState owner_state(const std::optional<ContainerOwner>& owner, const ContainerOwner& self,
                       const std::function<std::optional<unsigned long long>(long)>& start_time_of =
                           process_start_time);

// A container whose helper is gone is a leftover whatever its state; one whose helper may still
// run (a concurrent run of the same pipeline elsewhere) only when it is no longer running.
bool is_leftover(std::string_view status, OwnerState owner);

struct Leftover {
  std::string id;
  std::string status;
  OwnerState owner = OwnerState::unknown;
};

// Finds the pipeline's leftover containers and removes them; returns those removed.
std::vector<Leftover> remove_leftover_containers(const Engine& engine, const std::string& pipeline);

}  // namespace dp::docker
