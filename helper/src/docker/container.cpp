#include "docker/container.hpp"

#include <fmt/core.h>

#include <stdexcept>

#include "process/interrupts.hpp"
#include "text/text.hpp"

namespace dp::docker {
namespace {

std::string trim_output(const std::string& output) {
  return std::string(text::trim(output));
}

constexpr auto kManagementTimeout = std::chrono::minutes(2);

// `docker cp` out of a container, of a path it does not have, as each client words it.
bool names_a_missing_path(std::string_view complaint) {
  const auto lower = text::lowercase(complaint);
  return lower.find("could not find the file") != std::string::npos    // dockerd
         || lower.find("no such container:path") != std::string::npos  // docker 20.10's client
         || lower.find("could not be found on container") != std::string::npos;  // podman
}

}  // namespace

Container::Container(const Engine& engine, const ContainerSpec& spec) : engine_(engine) {
  // --init: a PID 1 that passes SIGINT/SIGTERM on, so test runners stop like they do at a terminal.
  std::vector<std::string> args = {"create", "--init"};
  if (spec.tty) args.push_back("--tty");
  for (const auto& [name, value] : spec.labels) {
    args.insert(args.end(), {"--label", name + "=" + value});
  }
  process::Options options;
  for (const auto& [name, value] : spec.environment) {
    args.insert(args.end(), {"--env", name});
    options.environment.emplace_back(name, value);
  }
  args.push_back(spec.image);
  args.insert(args.end(), spec.command.begin(), spec.command.end());
  const auto created = docker(args, options);
  if (!created.ok()) {
    throw_engine_failure(engine_, fmt::format("cannot create a container from {}: {}", spec.image,
                                              trim_output(created.err)));
  }
  id_ = trim_output(created.out);
  // `create` runs shielded, so an interrupt meanwhile is noticed here, with the id known. A
  // constructor that throws runs no destructor: the container is removed here.
  if (const int signal = process::pending_interrupt()) {
    docker({"rm", "--force", "--volumes", id_});
    throw process::Interrupted(signal);
  }
}

Container::~Container() {
  try {
    docker({"rm", "--force", "--volumes", id_});
  } catch (...) {
    // Nothing more can be done from a destructor; the next test run removes it by its label.
  }
}

process::Result Container::docker(std::vector<std::string> args,
                                  const process::Options& base) const {
  process::Options quiet = base;
  quiet.capture_stdout = quiet.capture_stderr = true;
  // Managing the container (above all removing it) must finish even after Ctrl-C.
  quiet.shielded = true;
  quiet.timeout = kManagementTimeout;
  return process::run(engine_.command(std::move(args)), quiet);
}

RunOutcome Container::run_attached(std::optional<std::chrono::milliseconds> timeout,
                                   std::function<void(std::string_view)> on_line) {
  if (const int signal = process::pending_interrupt()) throw process::Interrupted(signal);
  process::Options options;
  options.timeout = timeout;
  options.on_line = std::move(on_line);
  // The client does not stop the container when it is stopped itself.
  options.on_stop = [this] { docker({"kill", id_}); };
  const auto attached = process::run(engine_.command({"start", "--attach", id_}), options);
  if (attached.interrupted_by != 0) throw process::Interrupted(attached.interrupted_by);
  if (attached.timed_out) return {0, true};
  const auto state = docker({"inspect", "--format", "{{.State.ExitCode}}", id_});
  if (!state.ok()) {
    throw_engine_failure(
        engine_, fmt::format("cannot inspect container {}: {}", id_, trim_output(state.err)));
  }
  return {std::stoi(trim_output(state.out)), false};
}

void Container::copy_in(const std::filesystem::path& host_path, const std::string& container_path) {
  const auto copied = docker({"cp", host_path.string(), id_ + ":" + container_path});
  if (!copied.ok()) {
    throw_engine_failure(engine_,
                         fmt::format("cannot copy {} into container {}: {}", host_path.string(),
                                     id_.substr(0, 12), trim_output(copied.err)));
  }
}

std::optional<CopyFailure> Container::try_copy(const std::string& container_path,
                                               const std::filesystem::path& host_path) {
  const auto copied = docker({"cp", id_ + ":" + container_path, host_path.string()});
  if (copied.ok()) return std::nullopt;
  CopyFailure failure{trim_output(copied.err), names_a_missing_path(copied.err)};
  if (failure.complaint.empty()) failure.complaint = fmt::format("exit status {}", copied.status());
  // A path the container lacks is the caller's to report; an engine that went away is not.
  if (!failure.not_found && engine_gone(engine_)) {
    throw_engine_failure(engine_,
                         fmt::format("cannot copy {} out of container {}: {}", container_path,
                                     id_.substr(0, 12), failure.complaint));
  }
  return failure;
}

}  // namespace dp::docker
