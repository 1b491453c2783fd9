#include "stages/push/push_stage.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

#include "docker/image_build.hpp"
#include "docker/image_store.hpp"
#include "pipeline/matrix.hpp"
#include "pipeline/resolved_version.hpp"
#include "registry/credentials.hpp"

namespace dp::stages {
namespace {

namespace fs = std::filesystem;

std::vector<ImageTag> planned_tags(const pipeline::Pipeline& p, const std::string& version_tag) {
  std::vector<ImageTag> tags;
  for (const auto& image : pipeline::expand_matrix(p)) {
    const auto id = std::string(docker::bare_image_id(docker::read_image_id(image.iid_file())));
    if (!image.variant.empty()) tags.push_back({version_tag + "-" + image.variant, id, "", false});
    if (image.primary || image.variant.empty()) {
      tags.push_back({version_tag, id, "", false});
      if (p.push_latest) tags.push_back({"latest", id, "", false});
    }
  }
  return tags;
}

}  // namespace

ImagePush::ImagePush(registry::PushRepository target, registry::RegistryClient client,
                     const docker::Engine& engine)
    : target_(std::move(target)), client_(std::move(client)), engine_(engine) {}

ImagePush ImagePush::prepare(const pipeline::Pipeline& p, const std::string& version_tag,
                             const docker::Engine& engine,
                             const process::EnvironmentLookup& environment) {
  if (!fs::exists(p.test_record())) {
    throw UserError(
        fmt::format("the tests of {} have not passed (no {}): only a tested image is "
                    "pushed; build the {}-test target first",
                    p.name, p.test_record().string(), p.name));
  }
  auto target = registry::parse_push_repository(p.push);
  const auto credentials = registry::stored_credentials(
      target.registry,
      registry::auth_files(engine.kind == docker::EngineKind::podman, environment));
  ImagePush push(target, registry::RegistryClient(target, credentials), engine);
  push.tags_ = planned_tags(p, version_tag);
  push.client_.check_access();

  std::vector<std::string> conflicts;
  for (auto& tag : push.tags_) {
    const auto held = push.client_.manifest(tag.tag);
    if (!held) continue;
    if (docker::bare_image_id(held->config_digest) == tag.image_id) {
      tag.digest = held->digest;
    } else if (tag.tag != "latest") {
      conflicts.push_back(fmt::format(
          "{} is another image there ({}, config {}; this one is sha256:{})",
          target.tagged(tag.tag), held->digest,
          held->config_digest.empty() ? "none" : held->config_digest, tag.image_id.substr(0, 12)));
    }
  }
  if (!conflicts.empty()) {
    throw UserError(fmt::format(
        "{}; a released version's tag is never moved: release a new version, or remove the "
        "tag from the registry",
        fmt::join(conflicts, "; ")));
  }
  return push;
}

const std::vector<ImageTag>& ImagePush::run(Reporter& reporter) {
  const bool plain_http = registry::api_base_url(target_).starts_with("http://");
  std::size_t sent = 0;
  SummaryTable table{"Pushed to " + target_.name(), {"tag", "result", "image"}, {}};
  for (auto& tag : tags_) {
    const auto reference = target_.tagged(tag.tag);
    if (!tag.digest.empty()) {
      reporter.say(fmt::format("{} is up to date ({})", reference, target_.pinned(tag.digest)));
      table.rows.push_back({reference, "up to date", target_.pinned(tag.digest)});
      continue;
    }
    docker::tag_image(engine_, tag.image_id, reference);
    docker::push_image(engine_, reference, plain_http);
    const auto pushed = client_.manifest(tag.tag);
    if (!pushed || docker::bare_image_id(pushed->config_digest) != tag.image_id) {
      throw UserError(
          fmt::format("{} was pushed, but the registry does not hold it as image "
                      "sha256:{} afterwards",
                      reference, tag.image_id.substr(0, 12)));
    }
    tag.digest = pushed->digest;
    tag.sent = true;
    reporter.say(fmt::format("pushed {} ({})", reference, target_.pinned(tag.digest)));
    table.rows.push_back({reference, "pushed", target_.pinned(tag.digest)});
    ++sent;
  }
  reporter.summarize(table);
  reporter.say(fmt::format("{} tag{} pushed to {}, {} up to date", sent, sent == 1 ? "" : "s",
                           target_.name(), tags_.size() - sent));
  return tags_;
}

}  // namespace dp::stages
