#include "stages/push/push_stage.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "docker/engine.hpp"
#include "docker/image_build.hpp"
#include "docker/image_store.hpp"
#include "pipeline/matrix.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/resolved_version.hpp"
#include "registry/credentials.hpp"
#include "registry/push_repository.hpp"
#include "registry/registry_client.hpp"
#include "text/file.hpp"

namespace dp::stages {
namespace {

namespace fs = std::filesystem;

// One tag to push and the image it names.
struct Push {
  std::string tag;
  std::string image_id;  // bare hex
  std::string variant;   // empty without a matrix
  std::string digest;    // the registry's manifest digest once known
  bool pending = true;   // not on the registry yet
};

std::vector<Push> planned_pushes(const pipeline::Pipeline& p, const std::string& version_tag) {
  std::vector<Push> pushes;
  for (const auto& image : pipeline::expand_matrix(p)) {
    const auto id = std::string(docker::bare_image_id(docker::read_image_id(image.iid_file())));
    if (!image.variant.empty())
      pushes.push_back({version_tag + "-" + image.variant, id, image.variant, "", true});
    if (image.primary || image.variant.empty()) {
      pushes.push_back({version_tag, id, image.variant, "", true});
      if (p.push_latest) pushes.push_back({"latest", id, image.variant, "", true});
    }
  }
  return pushes;
}

void write_record(const pipeline::Pipeline& p, const registry::PushRepository& target,
                  const std::vector<Push>& pushes) {
  nlohmann::json record;
  record["repository"] = target.name();
  for (const auto& push : pushes) {
    record["tags"][push.tag] = {{"image_id", "sha256:" + push.image_id},
                                {"digest", push.digest},
                                {"reference", target.pinned(push.digest)}};
  }
  text::write_file_atomically(p.work_dir / "push.json", record.dump(2) + "\n");
}

}  // namespace

int run_push_stage(const PushOptions& options, const process::EnvironmentLookup& environment,
                   Reporter& reporter) {
  const auto p = pipeline::load(options.pipeline);
  if (p.push.empty()) {
    reporter.say(fmt::format("{} has no PUSH: no image to push", p.name));
    return 0;
  }
  if (!fs::exists(p.test_record())) {
    throw UserError(
        fmt::format("the tests of {} have not passed (no {}): only a tested image is "
                    "pushed; build the {}-test target first",
                    p.name, p.test_record().string(), p.name));
  }
  const auto target = registry::parse_push_repository(p.push);
  const auto version = pipeline::built_version(p);
  auto pushes = planned_pushes(p, version.docker_tag);

  const auto engine = docker::detect_engine(p.engine);
  if (options.verbose) reporter.say(fmt::format("engine: {} ({})", engine.client, engine.reason));
  const auto credentials = registry::stored_credentials(
      target.registry,
      registry::auth_files(engine.kind == docker::EngineKind::podman, environment));
  registry::RegistryClient client(target, credentials);
  client.check_access();

  // Every tag is asked about before anything is sent: a conflict stops the push whole.
  std::vector<std::string> conflicts;
  for (auto& push : pushes) {
    const auto held = client.manifest(push.tag);
    if (!held) continue;
    if (docker::bare_image_id(held->config_digest) == push.image_id) {
      push.digest = held->digest;
      push.pending = false;
    } else if (push.tag != "latest") {
      conflicts.push_back(fmt::format(
          "{} is another image there ({}, config {}; this one is "
          "sha256:{})",
          target.tagged(push.tag), held->digest,
          held->config_digest.empty() ? "none" : held->config_digest, push.image_id.substr(0, 12)));
    }
  }
  if (!conflicts.empty()) {
    throw UserError(fmt::format(
        "{}; a released version's tag is never moved: release a new version, or remove the "
        "tag from the registry",
        fmt::join(conflicts, "; ")));
  }

  const bool plain_http = registry::api_base_url(target).starts_with("http://");
  std::size_t sent = 0;
  for (auto& push : pushes) {
    const auto reference = target.tagged(push.tag);
    if (!push.pending) {
      reporter.say(fmt::format("{} is up to date ({})", reference, target.pinned(push.digest)));
      continue;
    }
    docker::tag_image(engine, push.image_id, reference);
    docker::push_image(engine, reference, plain_http);
    const auto pushed = client.manifest(push.tag);
    if (!pushed || docker::bare_image_id(pushed->config_digest) != push.image_id) {
      throw UserError(
          fmt::format("{} was pushed, but the registry does not hold it as image "
                      "sha256:{} afterwards",
                      reference, push.image_id.substr(0, 12)));
    }
    push.digest = pushed->digest;
    reporter.say(fmt::format("pushed {} ({})", reference, target.pinned(push.digest)));
    ++sent;
  }
  write_record(p, target, pushes);
  reporter.say(fmt::format("{} tag{} pushed to {}, {} up to date", sent, sent == 1 ? "" : "s",
                           target.name(), pushes.size() - sent));
  return 0;
}

}  // namespace dp::stages
