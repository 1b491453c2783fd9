#include "stages/test/test_stage.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "core/errors.hpp"
#include "digest/digest.hpp"
#include "docker/container.hpp"
#include "docker/engine.hpp"
#include "docker/image_build.hpp"
#include "pipeline/matrix.hpp"
#include "pipeline/resolved_version.hpp"
#include "process/interrupts.hpp"
#include "process/parallel.hpp"
#include "stages/test/dist_merge.hpp"
#include "stages/test/staging_dir.hpp"
#include "stages/test/test_env.hpp"
#include "stages/test/test_leftovers.hpp"
#include "stages/test/test_outputs.hpp"
#include "stages/test/test_record.hpp"
#include "stages/test/test_results.hpp"
#include "stages/variants.hpp"

namespace dp::stages {
namespace {

namespace fs = std::filesystem;

std::optional<std::chrono::milliseconds> timeout_of(double seconds) {
  if (seconds <= 0) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

docker::ContainerSpec container_spec(const pipeline::Pipeline& p, const std::string& image_id,
                                     bool tty) {
  docker::ContainerSpec spec;
  spec.image = image_id;
  // Without TEST_COMMAND the container is never started, only copied from, but `create` still
  // needs a command when the image has none.
  spec.command = p.test_command.empty() ? std::vector<std::string>{"true"}
                 : p.test_env.empty()   ? p.test_command
                                        : with_test_env(p.test_command);
  spec.labels = {{docker::kPipelineLabel, p.name},
                 {docker::kOwnerLabel, docker::format_owner(docker::current_owner())}};
  const bool sets_unbuffered =
      std::any_of(p.test_env.begin(), p.test_env.end(),
                  [](const auto& variable) { return variable.first == "PYTHONUNBUFFERED"; });
  // Live output: Python buffers a pipe's output until it exits. TEST_ENV: see copy_test_env.
  if (!sets_unbuffered) spec.environment.emplace_back("PYTHONUNBUFFERED", "1");
  spec.tty = tty;
  return spec;
}

// Docker commands that manage the container finish even after Ctrl-C; then the run stops.
void stop_if_interrupted() {
  if (const int signal = process::pending_interrupt()) throw process::Interrupted(signal);
}

void remove_leftovers(const docker::Engine& engine, const pipeline::Pipeline& p,
                      Reporter& reporter) {
  for (const auto& leftover : docker::remove_leftover_containers(engine, p.name)) {
    reporter.say(fmt::format(
        "removed container {} left behind by an earlier run of {} ({}{})",
        leftover.id.substr(0, 12), p.name, leftover.status,
        leftover.owner == docker::OwnerState::gone ? "; its helper process is gone" : ""));
  }
}

// True when the record says these inputs passed and their outputs are all still there.
bool passed_unchanged(const pipeline::Pipeline& p, const fs::path& record_file,
                      const std::string& digest, const std::string& image, Reporter& reporter) {
  const auto record = docker::read_test_record(record_file);
  if (!record || record->digest != digest) return false;
  if (const auto missing =
          docker::missing_output(*record, p.dist_out_dir(), p.artifacts_out_dir())) {
    reporter.say(fmt::format("{} is gone: running the tests of {} again", *missing, image));
    return false;
  }
  reporter.say(fmt::format(
      "tests of {} passed before and nothing changed; not run again (--force runs them)", image));
  return true;
}

}  // namespace

TestPlan prepare_test(const pipeline::Pipeline& p) {
  TestPlan plan;
  plan.nothing_to_do = p.test_command.empty() && p.artifacts.empty() && p.dist_dir.empty();
  try {
    plan.artifacts = docker::artifact_names(p.artifacts);
  } catch (const std::invalid_argument& e) {
    throw pipeline::PipelineError(
        fmt::format("{}: field 'artifacts': {}", p.file.string(), e.what()));
  }
  return plan;
}

namespace {

// One image's tests: the pipeline's, or one variant's of a matrix. `before_first_container` runs
// before a container is created (the leftovers of earlier runs are removed then).
int test_one(const TestOptions& options, const pipeline::Pipeline& p, Reporter& reporter,
             const std::function<void(const docker::Engine&)>& before_first_container) {
  const auto version = pipeline::built_version(p);
  const auto image_id = docker::read_image_id(p.iid_file());
  const auto image = p.image_tag(version.docker_tag);
  if (prepare_test(p).nothing_to_do) {
    reporter.say(
        fmt::format("{} has no TEST_COMMAND, ARTIFACTS or DIST_DIR: nothing to do", p.name));
    fs::remove_all(p.dist_out_dir());
    fs::remove_all(p.artifacts_out_dir());
    return 0;
  }

  const auto digest = docker::test_digest(
      {image_id, version.canonical, p.test_command, p.test_env, p.artifacts, p.dist_dir});
  const auto record_file = p.test_record();
  if (!options.force && !p.force && passed_unchanged(p, record_file, digest, image, reporter)) {
    return 0;
  }
  // The last passed run's record and dists stay until this run's outcome replaces them: a run a
  // fault stops (the engine gone, a full disk, a kill) loses nothing, and failed tests remove
  // them, since only a passed run yields dists.
  const auto failed = [&](int status) {
    docker::remove_test_record(record_file);
    fs::remove_all(p.dist_out_dir());
    return status;
  };

  const auto engine = docker::detect_engine(p.engine);
  if (options.verbose) reporter.say(fmt::format("engine: {} ({})", engine.client, engine.reason));
  before_first_container(engine);
  stop_if_interrupted();
  docker::Container container(engine, container_spec(p, image_id, reporter.on_terminal()));
  docker::RunOutcome outcome;
  if (!p.test_command.empty() && !p.test_env.empty()) {
    docker::remove_stale_staging(p.work_dir / "test-env");
    const docker::StagingDir staging(p.work_dir / "test-env");
    copy_test_env(container, p.test_env, staging.path());
  }
  if (!p.test_command.empty()) {
    reporter.say(fmt::format("testing {} ({}): {}", image, image_id.substr(0, 19),
                             fmt::join(p.test_command, " ")));
    const double seconds =
        options.timeout_seconds >= 0 ? options.timeout_seconds : p.test_timeout_seconds;
    outcome = container.run_attached(timeout_of(seconds), reporter.container_output());
    if (outcome.timed_out) {
      reporter.fail(fmt::format(
          "error: tests of {} timed out after {:g} s; the container was stopped and nothing is "
          "published",
          image, seconds));
    }
  }
  const auto collected = collect_artifacts(container, p, p.artifacts_out_dir(), reporter);
  stop_if_interrupted();
  const auto result = outcome.timed_out     ? std::string("timed out")
                      : outcome.status != 0 ? fmt::format("failed (status {})", outcome.status)
                                            : std::string("passed");
  reporter.summarize(
      {"Tests",
       {"image", "version", "result", "tests"},
       {{image, version.canonical, result, collected.junit.empty() ? "-" : collected.junit}}});
  if (outcome.timed_out) return failed(kTimedOutStatus);
  if (outcome.status != 0) {
    reporter.fail(fmt::format("tests of {} failed with exit status {}; nothing is published", image,
                              outcome.status));
    return failed(outcome.status);
  }
  if (!p.test_command.empty()) reporter.say(fmt::format("tests of {} passed", image));
  docker::TestRecord record{digest, {}, collected.names};
  if (!p.dist_dir.empty()) record.dists = collect_dists(container, p, version.canonical, reporter);
  stop_if_interrupted();
  docker::write_test_record(record_file, record);
  return 0;
}

}  // namespace

int run_test_stage(const TestOptions& options, Reporter& reporter) {
  const auto p = pipeline::load(options.pipeline);
  std::once_flag leftovers_removed;
  const auto remove_leftovers_once = [&](const docker::Engine& engine) {
    std::call_once(leftovers_removed, [&] { remove_leftovers(engine, p, reporter); });
  };
  if (p.variants.empty()) return test_one(options, p, reporter, remove_leftovers_once);

  // The merged dists stand only for a run in which every variant passed.
  docker::remove_test_record(p.test_record());
  const auto variants = pipeline::expand_matrix(p);
  const auto status =
      for_each_variant(variants, process::jobs_from(options.jobs), reporter,
                       [&](const pipeline::Pipeline& variant, Reporter& out) {
                         return test_one(options, variant, out, remove_leftovers_once);
                       });
  if (status != 0) return status;
  docker::TestRecord record;
  std::string digests;
  for (const auto& variant : variants) {
    if (const auto passed = docker::read_test_record(variant.test_record())) {
      digests += passed->digest + '\n';
    }
  }
  record.digest = digest::hex_of(digest::Algorithm::sha256, digests);
  if (!p.dist_dir.empty()) record.dists = merge_variant_dists(variants, p.dist_out_dir(), reporter);
  docker::write_test_record(p.test_record(), record);
  return 0;
}

}  // namespace dp::stages
