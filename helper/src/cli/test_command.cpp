#include <fmt/core.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>

#include "cli/command.hpp"
#include "cli/pipeline_option.hpp"
#include "docker/container.hpp"
#include "docker/engine.hpp"
#include "docker/image_build.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/resolved_version.hpp"
#include "process/interrupts.hpp"
#include "reports/junit_summary.hpp"
#include "stages/test/test_leftovers.hpp"
#include "stages/test/test_outputs.hpp"
#include "stages/test/test_record.hpp"

namespace dp::cli {
namespace {

namespace fs = std::filesystem;

// As coreutils' timeout(1) reports a command it stopped.
constexpr int kTimedOutStatus = 124;

struct TestOptions {
  fs::path pipeline;
  double timeout_seconds = -1;  // negative: the pipeline's TEST_TIMEOUT
  bool force = false;
  bool verbose = false;
};

fs::path test_record_file(const pipeline::Pipeline& p) {
  return p.work_dir / "test.passed";
}

std::optional<std::chrono::milliseconds> timeout_of(double seconds) {
  if (seconds <= 0) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

docker::ContainerSpec container_spec(const pipeline::Pipeline& p, const std::string& image_id) {
  docker::ContainerSpec spec;
  spec.image = image_id;
  // Without TEST_COMMAND the container is never started, only copied from, but `create` still
  // needs a command when the image has none.
  spec.command = p.test_command.empty() ? std::vector<std::string>{"true"} : p.test_command;
  spec.labels = {{docker::kPipelineLabel, p.name},
                 {docker::kOwnerLabel, docker::format_owner(docker::current_owner())}};
  const bool sets_unbuffered =
      std::any_of(p.test_env.begin(), p.test_env.end(),
                  [](const auto& variable) { return variable.first == "PYTHONUNBUFFERED"; });
  // Live output: Python buffers a pipe's output until it exits.
  if (!sets_unbuffered) spec.environment.emplace_back("PYTHONUNBUFFERED", "1");
  spec.environment.insert(spec.environment.end(), p.test_env.begin(), p.test_env.end());
  spec.tty = ::isatty(STDOUT_FILENO) == 1;
  return spec;
}

// Docker commands that manage the container finish even after Ctrl-C; then the run stops.
void stop_if_interrupted() {
  if (const int signal = process::pending_interrupt()) throw process::Interrupted(signal);
}

void say(const std::string& line) {
  fmt::print("docker-pipeline: {}\n", line);
  std::fflush(stdout);
}

void warn(const std::string& line) {
  std::fflush(stdout);
  fmt::print(stderr, "docker-pipeline test: warning: {}\n", line);
}

void remove_leftovers(const docker::Engine& engine, const pipeline::Pipeline& p) {
  for (const auto& leftover : docker::remove_leftover_containers(engine, p.name)) {
    say(fmt::format(
        "removed container {} left behind by an earlier run of {} ({}{})",
        leftover.id.substr(0, 12), p.name, leftover.status,
        leftover.owner == docker::OwnerState::gone ? "; its helper process is gone" : ""));
  }
}

// Copies ARTIFACTS out (or drops the folder when there are none) and summarizes JUnit reports.
std::vector<std::string> collect_artifacts(docker::Container& container,
                                           const pipeline::Pipeline& p) {
  if (p.artifacts.empty()) {
    fs::remove_all(p.artifacts_out_dir());
    return {};
  }
  const auto copied = docker::copy_artifacts(container, p.artifacts, p.artifacts_out_dir());
  for (const auto& warning : copied.warnings) warn(warning);
  say(fmt::format("copied {} of {} artifact path{} to {}", copied.names.size(), p.artifacts.size(),
                  p.artifacts.size() == 1 ? "" : "s", p.artifacts_out_dir().string()));
  const auto reports = docker::summarize_junit_reports(p.artifacts_out_dir());
  for (const auto& warning : reports.warnings) warn(warning);
  if (!reports.files.empty()) {
    say(fmt::format("{} (JUnit: {})", docker::format_junit_summary(reports.summary),
                    fmt::join(reports.files, ", ")));
  }
  return copied.names;
}

std::vector<std::string> collect_dists(docker::Container& container, const pipeline::Pipeline& p,
                                       const std::string& version) {
  const auto selection = docker::copy_dists(container, p.dist_dir, p.dist_out_dir(), version);
  if (!selection.others.empty()) {
    say(fmt::format("not copied from {} (not an sdist or wheel of {}): {}", p.dist_dir, version,
                    fmt::join(selection.others, ", ")));
  }
  if (selection.dists.empty()) {
    warn(fmt::format("DIST_DIR {} holds no sdist or wheel of version {}", p.dist_dir, version));
    return {};
  }
  say(fmt::format("copied the dists of {} out of the image to {}", version,
                  p.dist_out_dir().string()));
  for (const auto& name : selection.dists) {
    fmt::print("docker-pipeline:   {} ({} bytes)\n", name, fs::file_size(p.dist_out_dir() / name));
  }
  return selection.dists;
}

// True when the record says these inputs passed and their outputs are all still there.
bool passed_unchanged(const pipeline::Pipeline& p, const fs::path& record_file,
                      const std::string& digest, const std::string& image) {
  const auto record = docker::read_test_record(record_file);
  if (!record || record->digest != digest) return false;
  if (const auto missing =
          docker::missing_output(*record, p.dist_out_dir(), p.artifacts_out_dir())) {
    say(fmt::format("{} is gone: running the tests of {} again", *missing, image));
    return false;
  }
  say(
      fmt::format("tests of {} passed before and nothing changed; not run again (--force runs "
                  "them)",
                  image));
  return true;
}

int run_test(const TestOptions& options) {
  const auto p = pipeline::load(options.pipeline);
  const auto version = pipeline::built_version(p);
  const auto image_id = docker::read_image_id(p.iid_file());
  const auto image = fmt::format("{}:{}", p.image, version.docker_tag);
  if (p.test_command.empty() && p.artifacts.empty() && p.dist_dir.empty()) {
    say(fmt::format("{} has no TEST_COMMAND, ARTIFACTS or DIST_DIR: nothing to do", p.name));
    fs::remove_all(p.dist_out_dir());
    fs::remove_all(p.artifacts_out_dir());
    return 0;
  }
  try {
    docker::artifact_names(p.artifacts);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(fmt::format("{}: {}", p.file.string(), e.what()));
  }

  const auto digest = docker::test_digest(
      {image_id, version.canonical, p.test_command, p.test_env, p.artifacts, p.dist_dir});
  const auto record_file = test_record_file(p);
  if (!options.force && !p.force && passed_unchanged(p, record_file, digest, image)) return 0;
  // Only a passed run records itself, and only a passed run yields dists.
  docker::remove_test_record(record_file);
  fs::remove_all(p.dist_out_dir());

  const auto engine = docker::detect_engine(p.engine);
  if (options.verbose) {
    fmt::print("docker-pipeline: engine: {} ({})\n", engine.client, engine.reason);
  }
  remove_leftovers(engine, p);
  stop_if_interrupted();
  docker::Container container(engine, container_spec(p, image_id));
  docker::RunOutcome outcome;
  if (!p.test_command.empty()) {
    say(fmt::format("testing {} ({}): {}", image, image_id.substr(0, 19),
                    fmt::join(p.test_command, " ")));
    const double seconds =
        options.timeout_seconds >= 0 ? options.timeout_seconds : p.test_timeout_seconds;
    outcome = container.run_attached(timeout_of(seconds));
    if (outcome.timed_out) {
      fmt::print(stderr,
                 "docker-pipeline test: error: tests of {} timed out after {:g} s; the container "
                 "was stopped and nothing is published\n",
                 image, seconds);
    }
  }
  const auto artifacts = collect_artifacts(container, p);
  stop_if_interrupted();
  if (outcome.timed_out) return kTimedOutStatus;
  if (outcome.status != 0) {
    fmt::print(stderr,
               "docker-pipeline test: tests of {} failed with exit status {}; nothing is "
               "published\n",
               image, outcome.status);
    return outcome.status;
  }
  if (!p.test_command.empty()) say(fmt::format("tests of {} passed", image));
  docker::TestRecord record{digest, {}, artifacts};
  if (!p.dist_dir.empty()) record.dists = collect_dists(container, p, version.canonical);
  stop_if_interrupted();
  docker::write_test_record(record_file, record);
  return 0;
}

}  // namespace

Command add_test_command(CLI::App& parent) {
  auto options = std::make_shared<TestOptions>();
  auto* app = parent.add_subcommand("test", "Run the pipeline's tests in a container of its image");
  app->footer(
      "TEST_COMMAND runs in a fresh container of the built image with live output and TEST_ENV "
      "(values reach the engine through its client's environment, never its command line).\n"
      "ARTIFACTS are copied to <output dir>/artifacts/<last path component> after every run, "
      "passed or failed (a missing one is a warning), and JUnit XML reports among them are "
      "summarized; when the tests pass, the sdists and wheels of the built version in DIST_DIR "
      "are copied to <output dir>/dist.\n"
      "A passed run is recorded; an unchanged pipeline and image with its outputs still there is "
      "not tested again unless --force (or DOCKER_PIPELINE_FORCE) is given.\n"
      "Exit status: the tests' own; 124 when they timed out; 128 + the signal after Ctrl-C or "
      "SIGTERM; 1 for other errors. The container is removed in every case; containers an earlier "
      "run left behind (its helper killed) are removed first.");
  add_pipeline_option(*app, options->pipeline, true);
  app->add_option("--timeout", options->timeout_seconds,
                  "Stop the tests after this many seconds, overriding TEST_TIMEOUT (0: no limit)")
      ->check(CLI::NonNegativeNumber);
  app->add_flag("-f,--force", options->force, "Run the tests even when a passed run is recorded");
  app->add_flag("-v,--verbose", options->verbose, "Say which engine was chosen and why");
  return {app, [options] { return run_test(*options); }};
}

}  // namespace dp::cli
