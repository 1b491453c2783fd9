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

}  // namespace

Container::Container(const Engine& engine, const std::string& image,
                     const std::vector<std::string>& command,
                     const std::vector<std::pair<std::string, std::string>>& labels)
    : engine_(engine) {
  // --init: a PID 1 that passes SIGINT/SIGTERM on, so test runners stop like they do at a terminal.
  std::vector<std::string> args = {"create", "--init"};
  for (const auto& [name, value] : labels) args.insert(args.end(), {"--label", name + "=" + value});
  args.push_back(image);
  args.insert(args.end(), command.begin(), command.end());
  const auto created = docker(args);
  if (!created.ok()) {
    throw std::runtime_error(
        fmt::format("cannot create a container from {}: {}", image, trim_output(created.err)));
  }
  id_ = trim_output(created.out);
}

Container::~Container() {
  try {
    docker({"rm", "--force", "--volumes", id_});
  } catch (...) {
    // Nothing more can be done from a destructor; the label lets `docker ps -a` find it.
  }
}

process::Result Container::docker(std::vector<std::string> args) const {
  process::Options quiet;
  quiet.capture_stdout = quiet.capture_stderr = true;
  // Managing the container (above all removing it) must finish even after Ctrl-C.
  quiet.shielded = true;
  quiet.timeout = kManagementTimeout;
  return process::run(engine_.command(std::move(args)), quiet);
}

int Container::run_attached(std::optional<std::chrono::milliseconds> timeout) {
  process::Options options;
  options.timeout = timeout;
  options.on_stop = [this] { docker({"kill", id_}); };
  const auto attached = process::run(engine_.command({"start", "--attach", id_}), options);
  if (attached.interrupted_by != 0) throw process::Interrupted(attached.interrupted_by);
  if (attached.timed_out) {
    throw std::runtime_error(
        fmt::format("the test command timed out after {} s",
                    std::chrono::duration_cast<std::chrono::seconds>(*timeout).count()));
  }
  const auto state = docker({"inspect", "--format", "{{.State.ExitCode}}", id_});
  if (!state.ok()) {
    throw std::runtime_error(
        fmt::format("cannot inspect container {}: {}", id_, trim_output(state.err)));
  }
  return std::stoi(trim_output(state.out));
}

void Container::copy_out(const std::string& container_dir, const std::filesystem::path& host_dir) {
  std::filesystem::remove_all(host_dir);
  std::filesystem::create_directories(host_dir);
  const auto copied = docker({"cp", id_ + ":" + container_dir + "/.", host_dir.string()});
  if (!copied.ok()) {
    throw std::runtime_error(fmt::format("cannot copy {} out of the container: {}", container_dir,
                                         trim_output(copied.err)));
  }
}

}  // namespace dp::docker
