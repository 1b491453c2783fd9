#include "stages/test/test_leftovers.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <charconv>
#include <climits>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "docker/engine.hpp"
#include "process/process.hpp"
#include "text/text.hpp"

namespace dp::docker {
namespace {

constexpr auto kManagementTimeout = std::chrono::minutes(2);

std::string first_line_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return std::string(text::trim(line));
}

template <typename Number>
std::optional<Number> number_of(std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

process::Result manage(const Engine& engine, std::vector<std::string> args) {
  process::Options quiet;
  quiet.capture_stdout = quiet.capture_stderr = true;
  quiet.shielded = true;
  quiet.timeout = kManagementTimeout;
  return process::run(engine.command(std::move(args)), quiet);
}

}  // namespace

ContainerOwner current_owner() {
  ContainerOwner owner;
  char host[HOST_NAME_MAX + 1] = {};
  if (::gethostname(host, sizeof host - 1) == 0) owner.host = host;
  owner.boot_id = first_line_of("/proc/sys/kernel/random/boot_id");
  std::error_code error;
  owner.pid_namespace = std::filesystem::read_symlink("/proc/self/ns/pid", error).string();
  owner.pid = static_cast<long>(::getpid());
  owner.start_time = process_start_time(owner.pid).value_or(0);
  return owner;
}

std::string format_owner(const ContainerOwner& owner) {
  return fmt::format("host={} boot={} pidns={} pid={} start={}", owner.host, owner.boot_id,
                     owner.pid_namespace, owner.pid, owner.start_time);
}

std::optional<ContainerOwner> parse_owner(std::string_view label) {
  ContainerOwner owner;
  bool has_pid = false;
  bool has_start = false;
  std::istringstream fields{std::string(label)};
  std::string field;
  while (fields >> field) {
    const auto equals = field.find('=');
    if (equals == std::string::npos) return std::nullopt;
    const auto key = field.substr(0, equals);
    const auto value = std::string_view(field).substr(equals + 1);
    if (key == "host") {
      owner.host = value;
    } else if (key == "boot") {
      owner.boot_id = value;
    } else if (key == "pidns") {
      owner.pid_namespace = value;
    } else if (key == "pid") {
      const auto pid = number_of<long>(value);
      if (!pid) return std::nullopt;
      owner.pid = *pid;
      has_pid = true;
    } else if (key == "start") {
      const auto start = number_of<unsigned long long>(value);
      if (!start) return std::nullopt;
      owner.start_time = *start;
      has_start = true;
    }
  }
  if (owner.boot_id.empty() || !has_pid || !has_start) return std::nullopt;
  return owner;
}

std::optional<unsigned long long> process_start_time(long pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat;
  if (!in || !std::getline(in, stat)) return std::nullopt;
  // The command name in parentheses may hold spaces and parentheses: fields follow the last ')'.
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(paren + 1));
  std::string field;
  for (int number = 3; fields >> field; ++number) {
    // A killed helper stays a zombie until its parent reaps it: it is gone all the same.
    if (number == 3 && (field == "Z" || field == "X")) return std::nullopt;
    if (number == 22) return number_of<unsigned long long>(field);
  }
  return std::nullopt;
}

OwnerState owner_state(
    const std::optional<ContainerOwner>& owner, const ContainerOwner& self,
    const std::function<std::optional<unsigned long long>(long)>& start_time_of) {
  if (!owner || self.boot_id.empty()) return OwnerState::unknown;
  if (owner->boot_id != self.boot_id) {
    // The same machine rebooted since: its helper is certainly gone.
    return !owner->host.empty() && owner->host == self.host ? OwnerState::gone
                                                            : OwnerState::unknown;
  }
  if (owner->pid_namespace != self.pid_namespace) return OwnerState::unknown;
  const auto started = start_time_of(owner->pid);
  return started && *started == owner->start_time ? OwnerState::alive : OwnerState::gone;
}

bool is_leftover(std::string_view status, OwnerState owner) {
  switch (owner) {
    case OwnerState::gone:
      return true;
    case OwnerState::alive:
      return false;
    case OwnerState::unknown:
      return status == "exited" || status == "dead";
  }
  return false;
}

std::vector<Leftover> remove_leftover_containers(const Engine& engine,
                                                 const std::string& pipeline) {
  const auto listed = manage(engine, {"ps", "--all", "--quiet", "--no-trunc", "--filter",
                                      fmt::format("label={}={}", kPipelineLabel, pipeline)});
  if (!listed.ok()) {
    throw docker::EngineError(fmt::format("cannot list the containers of pipeline {}: {}", pipeline,
                                          text::trim(listed.err)));
  }
  std::vector<std::string> args = {
      "inspect", "--format",
      fmt::format("{{{{.Id}}}}|{{{{.State.Status}}}}|{{{{index .Config.Labels \"{}\"}}}}",
                  kOwnerLabel)};
  std::istringstream ids(listed.out);
  for (std::string id; ids >> id;) args.push_back(id);
  if (args.size() == 3) return {};

  // A container removed meanwhile makes inspect fail for it alone; the others are still listed.
  const auto inspected = manage(engine, args);
  const auto self = current_owner();
  std::vector<Leftover> removed;
  std::istringstream lines(inspected.out);
  for (std::string line; std::getline(lines, line);) {
    const auto first = line.find('|');
    const auto second = line.find('|', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    Leftover container{line.substr(0, first), line.substr(first + 1, second - first - 1)};
    container.owner = owner_state(parse_owner(line.substr(second + 1)), self);
    if (!is_leftover(container.status, container.owner)) continue;
    if (manage(engine, {"rm", "--force", "--volumes", container.id}).ok()) {
      removed.push_back(std::move(container));
    }
  }
  return removed;
}

}  // namespace dp::docker
