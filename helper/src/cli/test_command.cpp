#include <fmt/core.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/command.hpp"
#include "cli/pipeline_option.hpp"
#include "docker/container.hpp"
#include "docker/engine.hpp"
#include "docker/image_build.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/resolved_version.hpp"

namespace dp::cli {
namespace {

namespace fs = std::filesystem;

struct TestOptions {
  fs::path pipeline;
  double timeout_seconds = 0;
};

void list_dists(const fs::path& dir) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    fmt::print("docker-pipeline:   {} ({} bytes)\n", entry.path().string(),
               entry.is_regular_file() ? entry.file_size() : 0);
  }
}

int run_test(const TestOptions& options) {
  const auto p = pipeline::load(options.pipeline);
  const auto version = pipeline::built_version(p);
  const auto image_id = docker::read_image_id(p.iid_file());
  const auto engine = docker::detect_engine();
  const auto image = fmt::format("{}:{}", p.image, version.docker_tag);

  // Dists of an earlier run must not outlive a failed one: only a passed test yields dists.
  fs::remove_all(p.dist_out_dir());

  // Without TEST_COMMAND the container is never started, only copied from, but `create` still
  // needs a command when the image has none.
  const auto command = p.test_command.empty() ? std::vector<std::string>{"true"} : p.test_command;
  docker::Container container(engine, image_id, command, {{"io.docker-pipeline.pipeline", p.name}});
  if (!p.test_command.empty()) {
    fmt::print("docker-pipeline: testing {} ({}): {}\n", image, image_id.substr(0, 19),
               fmt::join(p.test_command, " "));
    std::fflush(stdout);
    std::optional<std::chrono::milliseconds> timeout;
    if (options.timeout_seconds > 0) {
      timeout = std::chrono::milliseconds(static_cast<long long>(options.timeout_seconds * 1000));
    }
    const int status = container.run_attached(timeout);
    if (status != 0) {
      fmt::print(stderr,
                 "docker-pipeline test: tests of {} failed with exit status {}; nothing is "
                 "published\n",
                 image, status);
      return status;
    }
    fmt::print("docker-pipeline: tests of {} passed\n", image);
  }
  if (!p.dist_dir.empty()) {
    container.copy_out(p.dist_dir, p.dist_out_dir());
    fmt::print("docker-pipeline: copied {} out of the image to {}\n", p.dist_dir,
               p.dist_out_dir().string());
    list_dists(p.dist_out_dir());
  }
  return 0;
}

}  // namespace

Command add_test_command(CLI::App& parent) {
  auto options = std::make_shared<TestOptions>();
  auto* app = parent.add_subcommand("test", "Run the pipeline's tests in a container of its image");
  app->footer(
      "TEST_COMMAND runs with live output; when it passes, DIST_DIR is copied out to "
      "<work dir>/dist. The exit status is the test's; the container is removed afterwards, also "
      "on Ctrl-C.");
  add_pipeline_option(*app, options->pipeline, true);
  app->add_option("--timeout", options->timeout_seconds,
                  "Stop the tests after this many seconds (0: no limit)")
      ->check(CLI::NonNegativeNumber);
  return {app, [options] { return run_test(*options); }};
}

}  // namespace dp::cli
