#include "stages/verify/verify_stage.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <exception>
#include <map>
#include <optional>

#include "core/errors.hpp"
#include "digest/digest.hpp"
#include "docker/container.hpp"
#include "docker/engine.hpp"
#include "docker/image_store.hpp"
#include "pipeline/resolved_version.hpp"
#include "process/interrupts.hpp"
#include "process/parallel.hpp"
#include "pypi/dist/dist_names.hpp"
#include "pypi/dist/distribution.hpp"
#include "pypi/dist/wheel_tags.hpp"
#include "stages/prefixed_reporter.hpp"
#include "stages/test/staging_dir.hpp"
#include "stages/test/test_env.hpp"
#include "stages/test/test_leftovers.hpp"
#include "stages/test/test_record.hpp"
#include "stages/test/test_results.hpp"
#include "stages/test/test_stage.hpp"
#include "stages/verify/verify_container.hpp"
#include "stages/verify/verify_inputs.hpp"
#include "text/file.hpp"
#include "version/pep440.hpp"
#include "version/specifier.hpp"

namespace dp::stages {
namespace {

namespace fs = std::filesystem;

constexpr auto kProbeTimeout = std::chrono::minutes(2);

// "docker-pipeline/python3:bullseye" -> "bullseye"; "" for a reference without a tag.
std::string tag_of(const std::string& image) {
  const auto colon = image.rfind(':');
  if (colon == std::string::npos || image.find('/', colon) != std::string::npos) return {};
  return image.substr(colon + 1);
}

// The dists of the last passed test run, which verify installs and publish uploads.
struct Dists {
  std::vector<std::string> files;  // all of them, as the test stage recorded them
  std::vector<std::string> wheels;
  std::optional<std::string> sdist;
  std::string project;                    // "pydemo 1.0", for messages
  version::SpecifierSet requires_python;  // of the first dist that says
  std::string requires_python_text;
};

Dists read_dists(const pipeline::Pipeline& p) {
  const auto record = docker::read_test_record(p.test_record());
  if (!record || record->dists.empty()) {
    throw UserError(fmt::format(
        "{} has no dists of a passed test run to verify: run the target {}-test first (the test "
        "stage copies them out of DIST_DIR)",
        p.name, p.name));
  }
  Dists dists;
  dists.files = record->dists;
  for (const auto& file : dists.files) {
    const auto path = p.dist_out_dir() / file;
    if (!fs::exists(path)) {
      throw UserError(
          fmt::format("{} is gone: run the target {}-test again", path.string(), p.name));
    }
    const auto kind = pypi::dist_kind_of(file);
    if (kind == pypi::DistKind::wheel) {
      dists.wheels.push_back(file);
    } else if (kind && !dists.sdist) {
      dists.sdist = file;
    }
  }
  const auto first = pypi::inspect_distribution(p.dist_out_dir() / dists.files.front());
  dists.project = fmt::format("{} {}", first.name(), first.version());
  dists.requires_python_text = first.metadata.first("Requires-Python").value_or("");
  try {
    dists.requires_python = version::parse_specifiers(dists.requires_python_text);
  } catch (const version::VersionError& e) {
    throw UserError(fmt::format("{}: Requires-Python: {}", dists.files.front(), e.what()));
  }
  return dists;
}

// One image's run, as the table at the end shows it.
struct Outcome {
  std::string python = "?";
  std::vector<std::string> installs;  // the dists installed, in order
  std::string result;                 // "passed", "unchanged", "failed (status 1)", ...
  std::string junit;
  int status = 0;
  std::string error;  // a one-line error instead of a run
};

struct Shared {
  const pipeline::Pipeline& p;
  const VerifyPlan& plan;
  const Dists& dists;
  const docker::Engine& engine;
  Reporter& reporter;
  bool prefix_output = false;  // several at once: each line names its image
  bool force = false;
  std::string files_digest;
  std::string wheelhouse_digest;
  std::vector<std::pair<std::string, std::string>> dist_digests;  // file name, sha256
};

// Copies `from` (a file or folder) to `to`, hard links where the file system allows.
void copy_tree(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  if (fs::is_directory(from)) {
    fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  } else {
    fs::copy(from, to, fs::copy_options::copy_symlinks);
  }
}

// What goes to kVerifyRoot: the script, the dists, VERIFY_FILES under files/, the wheelhouse.
void fill_staging(const Shared& s, const fs::path& root) {
  fs::create_directories(root);
  text::write_file_atomically(root / "verify.sh", verify_script());
  fs::create_directories(root / "dists");
  for (const auto& file : s.dists.files)
    copy_tree(s.p.dist_out_dir() / file, root / "dists" / file);
  fs::create_directories(root / "files");
  for (const auto& path : s.p.verify_files) {
    copy_tree(s.p.context / path, root / "files" / path.lexically_normal());
  }
  if (!s.p.wheelhouse.empty()) copy_tree(s.p.wheelhouse, root / "wheelhouse");
}

docker::ContainerSpec spec_for(const Shared& s, const std::string& image_id,
                               std::vector<std::string> command) {
  docker::ContainerSpec spec;
  spec.image = image_id;
  spec.command = std::move(command);
  spec.labels = {{docker::kPipelineLabel, s.p.name},
                 {docker::kOwnerLabel, docker::format_owner(docker::current_owner())}};
  return spec;
}

// What the image's python3 says about itself, asked once per image id (the answer is kept in
// the work dir beside the record), so that an unchanged verify starts no container at all.
pypi::Interpreter probe(const Shared& s, const VerifyTarget& target, const std::string& image_id) {
  const auto cache = s.p.work_dir / "verify" / (target.name + ".python");
  if (const auto kept = text::read_file(cache)) {
    const auto newline = kept->find('\n');
    if (newline != std::string::npos && kept->substr(0, newline) == image_id) {
      return parse_interpreter(std::string_view(*kept).substr(newline + 1), target.image);
    }
  }
  docker::Container container(
      s.engine, spec_for(s, image_id, {"python3", "-c", std::string(interpreter_probe())}));
  std::string output;
  const auto outcome = container.run_attached(
      kProbeTimeout, [&](std::string_view line) { (output += line) += '\n'; });
  if (outcome.timed_out) {
    throw UserError(
        fmt::format("verify image {}: python3 did not answer in 2 minutes", target.image));
  }
  const auto interpreter = parse_interpreter(output, target.image);
  text::write_file_atomically(cache, image_id + '\n' + output);
  return interpreter;
}

Outcome verify_one(const Shared& s, const VerifyTarget& target, const std::string& image_id,
                   bool with_sdist) {
  Outcome outcome;
  const auto in = probe(s, target, image_id);
  outcome.python = in.version;
  if (!version::contains(s.dists.requires_python, version::parse(in.version))) {
    throw UserError(fmt::format(
        "verify image {} has Python {}, outside the Requires-Python {} of {}: drop the image or "
        "widen Requires-Python",
        target.image, in.version, s.dists.requires_python_text, s.dists.project));
  }
  std::vector<std::string> installs;
  if (!s.dists.wheels.empty()) {
    const auto wheel = pypi::best_wheel(s.dists.wheels, pypi::supported_tags(in));
    if (!wheel) {
      throw UserError(fmt::format(
          "no wheel of {} installs on verify image {} (Python {}, {} {}{}): {}", s.dists.project,
          target.image, in.version, in.implementation, in.machine,
          in.glibc.empty() ? "" : ", glibc " + in.glibc, fmt::join(s.dists.wheels, ", ")));
    }
    installs.push_back(*wheel);
  }
  if (s.dists.sdist && (with_sdist || installs.empty())) installs.push_back(*s.dists.sdist);
  outcome.installs = installs;
  const auto installed = fmt::format("{}", fmt::join(installs, " + "));

  VerifyInputs inputs{image_id,       s.dist_digests,      installs,
                      s.files_digest, s.wheelhouse_digest, s.plan.command,
                      s.p.test_env,   s.p.artifacts};

  const auto digest = verify_digest(inputs);
  const auto record_file = s.p.verify_record(target.name);
  const auto out_dir = s.p.verify_out_dir(target.name);
  if (!s.force) {
    if (const auto record = docker::read_test_record(record_file);
        record && record->digest == digest && !docker::missing_output(*record, {}, out_dir)) {
      outcome.result = "unchanged";
      s.reporter.say(fmt::format(
          "{}: verified before and nothing changed; not run again (--force runs it)", target.name));
      return outcome;
    }
  }
  docker::remove_test_record(record_file);

  docker::remove_stale_staging(s.p.work_dir / "verify");
  const docker::StagingDir staging(s.p.work_dir / "verify");
  const auto root = staging.path() / "root";
  fill_staging(s, root);

  std::vector<std::string> command = {"sh", std::string(kVerifyRoot) + "/verify.sh"};
  command.insert(command.end(), s.plan.command.begin(), s.plan.command.end());
  auto spec = spec_for(s, image_id, s.p.test_env.empty() ? command : with_test_env(command));
  spec.environment = {{"PYTHONUNBUFFERED", "1"},
                      {"DP_VERIFY_INSTALLS", fmt::format("{}", fmt::join(installs, " "))},
                      {"DP_VERIFY_BUILD_ISOLATION", s.p.wheelhouse.empty() ? "0" : "1"}};
  spec.tty = !s.prefix_output && s.reporter.on_terminal();
  docker::Container container(s.engine, spec);
  container.copy_in(root, std::string(kVerifyRoot));
  if (!s.p.test_env.empty()) copy_test_env(container, s.p.test_env, staging.path());
  s.reporter.say(fmt::format("{}: Python {}, installing {}", target.name, in.version, installed));
  PrefixedReporter prefixed(s.reporter, target.name);
  const double seconds = s.p.test_timeout_seconds;
  const auto run = container.run_attached(
      seconds > 0 ? std::optional(std::chrono::milliseconds(static_cast<long long>(seconds * 1000)))
                  : std::nullopt,
      s.prefix_output ? prefixed.container_output() : nullptr);
  const auto artifacts = collect_artifacts(container, s.p, out_dir, s.reporter);
  outcome.junit = artifacts.junit;
  process::throw_if_interrupted();
  if (run.timed_out) {
    outcome.status = kTimedOutStatus;
    outcome.result = fmt::format("timed out after {:g} s", seconds);
  } else if (run.status == kInstallFailedStatus) {
    outcome.status = 1;
    outcome.result = "install failed";
  } else if (run.status != 0) {
    outcome.status = run.status;
    outcome.result = fmt::format("failed (status {})", run.status);
  } else {
    outcome.result = "passed";
    docker::write_test_record(record_file, {digest, {}, artifacts.names});
  }
  if (outcome.status != 0) {
    s.reporter.fail(fmt::format("{}: {} on {}; nothing is published", target.name, outcome.result,
                                target.image));
  }
  return outcome;
}

void print_table(Reporter& reporter, const std::vector<VerifyTarget>& targets,
                 const std::vector<Outcome>& outcomes) {
  SummaryTable table{
      "Verified on clean images", {"image", "python", "installed", "result", "tests"}, {}};
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& o = outcomes[i];
    const auto installed = fmt::format("{}", fmt::join(o.installs, " + "));
    table.rows.push_back({targets[i].name, o.python, installed.empty() ? "-" : installed,
                          o.error.empty() ? o.result : "error", o.junit.empty() ? "-" : o.junit});
  }
  std::vector<const std::vector<std::string>*> lines = {&table.header};
  for (const auto& row : table.rows) lines.push_back(&row);
  std::array<std::size_t, 5> width{};
  for (const auto* row : lines) {
    for (std::size_t c = 0; c < width.size(); ++c) width[c] = std::max(width[c], (*row)[c].size());
  }
  for (const auto* row : lines) {
    const auto& r = *row;
    reporter.print(fmt::format("  {:<{}}  {:<{}}  {:<{}}  {:<{}}  {}", r[0], width[0], r[1],
                               width[1], r[2], width[2], r[3], width[3], r[4]));
  }
  reporter.summarize(table);
}

std::vector<VerifyTarget> selected(const VerifyPlan& plan, const std::vector<std::string>& wanted,
                                   const pipeline::Pipeline& p) {
  if (wanted.empty()) return plan.targets;
  std::vector<VerifyTarget> chosen;
  for (const auto& want : wanted) {
    const auto found = std::find_if(plan.targets.begin(), plan.targets.end(), [&](const auto& t) {
      return t.image == want || t.name == want;
    });
    if (found == plan.targets.end()) {
      throw UserError(fmt::format("--image {} is not among the VERIFY_IMAGES of {}", want, p.name));
    }
    chosen.push_back(*found);
  }
  return chosen;
}

}  // namespace

VerifyPlan prepare_verify(const pipeline::Pipeline& p) {
  const auto fail = [&](std::string_view field, const std::string& problem) {
    throw pipeline::PipelineError(
        fmt::format("{}: field '{}': {}", p.file.string(), field, problem));
  };
  VerifyPlan plan;
  plan.command = p.verify_command.empty() ? p.test_command : p.verify_command;
  if (p.verify_images.empty()) return plan;
  std::map<std::string, std::string> images_by_name;
  for (const auto& image : p.verify_images) {
    const auto name = tag_of(image);
    if (name.empty())
      fail("verify_images", fmt::format("{} has no tag; name one (image:tag)", image));
    if (const auto [it, added] = images_by_name.emplace(name, image); !added) {
      fail("verify_images", fmt::format("{} and {} have one tag, {}; verify each image once, under "
                                        "tags of their own",
                                        it->second, image, name));
    }
    plan.targets.push_back({image, name});
  }
  if (plan.command.empty()) fail("verify_command", "empty, and so is test_command: nothing to run");
  if (p.dist_dir.empty()) fail("dist_dir", "empty: verify installs the dists DIST_DIR holds");
  for (std::size_t i = 0; i < p.verify_files.size(); ++i) {
    std::error_code error;
    if (!fs::exists(fs::symlink_status(p.context / p.verify_files[i], error))) {
      fail(fmt::format("verify_files[{}]", i),
           fmt::format("{} does not exist in the context {}", p.verify_files[i].string(),
                       p.context.string()));
    }
  }
  if (!p.wheelhouse.empty() && !fs::is_directory(p.wheelhouse)) {
    fail("wheelhouse", fmt::format("{} is not a folder", p.wheelhouse.string()));
  }
  return plan;
}

int run_verify_stage(const VerifyOptions& options, Reporter& reporter) {
  const auto p = pipeline::load(options.pipeline);
  const auto plan = prepare_verify(p);
  if (plan.targets.empty()) {
    reporter.say(fmt::format("{} has no VERIFY_IMAGES: nothing to verify", p.name));
    return 0;
  }
  const auto targets = selected(plan, options.images, p);
  const auto dists = read_dists(p);
  if (!p.verify_sdist && dists.wheels.empty()) {
    throw UserError(
        fmt::format("{} has no wheel, and VERIFY_SDIST is OFF: nothing to verify; "
                    "build a wheel or set VERIFY_SDIST ON",
                    dists.project));
  }
  const auto engine = docker::detect_engine(p.engine);
  if (options.verbose) reporter.say(fmt::format("engine: {} ({})", engine.client, engine.reason));

  // Every image is there before any runs: none is ever pulled.
  std::vector<std::string> image_ids;
  for (const auto& target : targets) {
    const auto id = docker::local_image_id(engine, target.image);
    if (!id) {
      throw UserError(fmt::format(
          "verify image {} is not on this machine (images are never pulled): make or load it, "
          "or drop it from VERIFY_IMAGES",
          target.image));
    }
    image_ids.push_back(*id);
  }
  for (const auto& leftover : docker::remove_leftover_containers(engine, p.name)) {
    reporter.say(fmt::format("removed container {} left behind by an earlier run of {} ({})",
                             leftover.id.substr(0, 12), p.name, leftover.status));
  }

  const int jobs =
      std::min<int>(process::jobs_from(options.jobs), static_cast<int>(targets.size()));
  Shared shared{p,
                plan,
                dists,
                engine,
                reporter,
                jobs > 1 || reporter.folds_units(),
                options.force || p.force,
                tree_digest(p.context, p.verify_files),
                p.wheelhouse.empty() ? std::string() : tree_digest(p.wheelhouse, {"."}),
                {}};
  for (const auto& file : dists.files) {
    shared.dist_digests.emplace_back(
        file, digest::hex_of_file(digest::Algorithm::sha256, p.dist_out_dir() / file));
  }
  reporter.say(fmt::format("verifying {} on {} image{} ({} at once): {}", dists.project,
                           targets.size(), targets.size() == 1 ? "" : "s", jobs,
                           fmt::join(plan.command, " ")));

  // The first image of VERIFY_IMAGES also builds and installs the sdist, unless VERIFY_SDIST OFF.
  std::vector<Outcome> outcomes(targets.size());
  process::run_parallel(targets.size(), jobs, [&](std::size_t i) {
    try {
      outcomes[i] = verify_one(shared, targets[i], image_ids[i],
                               p.verify_sdist && targets[i].image == p.verify_images.front());
    } catch (const process::Interrupted&) {
      throw;
    } catch (const std::exception& e) {
      outcomes[i].error = e.what();
      outcomes[i].status = 1;
      reporter.fail(fmt::format("error: {}", e.what()));
    }
  });

  print_table(reporter, targets, outcomes);
  for (const auto& outcome : outcomes) {
    if (outcome.status != 0) return outcome.status;
  }
  // A wheel that no image installed was never verified: publish would upload it untested.
  if (options.images.empty()) {
    for (const auto& wheel : dists.wheels) {
      const bool installed = std::any_of(outcomes.begin(), outcomes.end(), [&](const Outcome& o) {
        return std::find(o.installs.begin(), o.installs.end(), wheel) != o.installs.end();
      });
      if (!installed) {
        throw UserError(
            fmt::format("the wheel {} installs on none of the VERIFY_IMAGES of {}; add "
                        "an image of its Python and platform",
                        wheel, p.name));
      }
    }
  }
  std::vector<std::string> names;
  for (const auto& target : targets) names.push_back(target.name);
  reporter.say(fmt::format("{} verified on {}", dists.project, fmt::join(names, ", ")));
  return 0;
}

}  // namespace dp::stages
