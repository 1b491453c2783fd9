#include "stages/publish/publish_stage.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "digest/digest.hpp"
#include "docker/engine.hpp"
#include "docker/image_build.hpp"
#include "docker/image_labels.hpp"
#include "docker/image_store.hpp"
#include "pipeline/matrix.hpp"
#include "pipeline/resolved_version.hpp"
#include "pypi/config/repository.hpp"
#include "pypi/dist/dist_files.hpp"
#include "pypi/dist/dist_names.hpp"
#include "pypi/http/http_client.hpp"
#include "pypi/index/simple_index.hpp"
#include "stages/publish/check_stage.hpp"
#include "stages/publish/index_connection.hpp"
#include "stages/publish/release.hpp"
#include "stages/publish/release_record.hpp"
#include "stages/publish/upload_stage.hpp"
#include "stages/push/push_stage.hpp"
#include "stages/verify/verify_stage.hpp"
#include "text/file.hpp"

namespace dp::stages {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string now_utc() {
  return docker::rfc3339_utc(
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()));
}

// What the index lists of the project, or nothing when its simple API does not answer.
std::optional<pypi::ProjectListing> index_listing(const IndexConnection& connection,
                                                  const std::string& project) {
  auto index = simple_index(connection, simple_index_urls(connection, ""));
  auto listing = index.project(project);
  if (listing.state == pypi::ListingState::unavailable) return std::nullopt;
  return listing;
}

struct Dist {
  fs::path file;
  std::string sha256;
  std::uintmax_t size = 0;
};

// Nothing on the index may hold one of these names with other bytes.
void require_no_index_conflict(const std::optional<pypi::ProjectListing>& listing,
                               const std::vector<Dist>& dists) {
  if (!listing) return;
  std::vector<std::string> conflicts;
  for (const auto& dist : dists) {
    const auto* held = listing->find(dist.file.filename().string());
    if (held != nullptr && !held->sha256.empty() && held->sha256 != dist.sha256) {
      conflicts.push_back(fmt::format("{} (the index has sha256 {}, this one {})",
                                      dist.file.filename().string(), held->sha256.substr(0, 12),
                                      dist.sha256.substr(0, 12)));
    }
  }
  if (!conflicts.empty()) {
    throw UserError(fmt::format(
        "the index already has other files of these names: {}; a released file is never "
        "replaced: release a new version",
        fmt::join(conflicts, ", ")));
  }
}

json verify_results(const pipeline::Pipeline& p) {
  json results = json::array();
  for (const auto& target : prepare_verify(p).targets) {
    results.push_back(
        {{"image", target.image}, {"passed", fs::exists(p.verify_record(target.name))}});
  }
  return results;
}

}  // namespace

int run_publish_stage(const PublishOptions& options, const process::EnvironmentLookup& environment,
                      Reporter& reporter) {
  const auto started = now_utc();
  const auto release = load_release(options.pipeline);
  const auto& p = release->pipeline;
  const auto version = pipeline::built_version(p);

  // Preflight: nothing is sent unless all of it holds.
  CheckOptions check;
  check.pipeline = options.pipeline;
  if (run_check_stage(check, reporter) != 0) {
    throw UserError(fmt::format("preflight of {} {}: check failed; nothing was uploaded or pushed",
                                p.name, version.canonical));
  }
  const auto connection = connect_index(UploadOptions{}, &p, environment, reporter);
  const auto& repository = connection.repository;
  const auto files = pypi::select_dist_files({}, p.dist_out_dir());
  std::vector<Dist> dists;
  for (const auto& file : files) {
    dists.push_back(
        {file, digest::hex_of_file(digest::Algorithm::sha256, file), fs::file_size(file)});
  }
  // The project, from a file name (check has read every file and found them to agree).
  const auto first = files.front().filename().string();
  const auto wheel = pypi::parse_wheel_name(first);
  const auto sdist = wheel ? std::nullopt : pypi::parse_sdist_name(first);
  const auto project = wheel ? wheel->name : sdist ? sdist->name : first;
  const auto listing = index_listing(connection, project);
  if (!listing) {
    reporter.warn(
        fmt::format("the simple API of {} did not answer: whether it already has these "
                    "files is known only when they are uploaded",
                    pypi::sanitized_url(repository.url)));
  }
  require_no_index_conflict(listing, dists);

  const auto engine = docker::detect_engine(p.engine);
  if (options.verbose) reporter.say(fmt::format("engine: {} ({})", engine.client, engine.reason));
  // Every image (each MATRIX variant's) carries the version; the first is the pipeline's.
  json images = json::object();
  std::string image_id;
  for (const auto& image : pipeline::expand_matrix(p)) {
    const auto id = std::string(docker::bare_image_id(docker::read_image_id(image.iid_file())));
    const auto labelled = docker::image_label(engine, id, docker::kVersionLabel);
    if (labelled != version.canonical) {
      throw UserError(
          fmt::format("preflight of {}: image sha256:{} is labelled version '{}', not "
                      "{}; build the {}-image target again",
                      p.name, id.substr(0, 12), labelled, version.canonical, p.name));
    }
    if (image_id.empty()) image_id = id;
    if (!image.variant.empty()) images[image.variant] = "sha256:" + id;
  }
  std::optional<ImagePush> push;
  if (!p.push.empty()) push.emplace(ImagePush::prepare(p, version.docker_tag, engine, environment));
  reporter.say(fmt::format("preflight of {} {} passed: {} dist{} for {}{}", p.name,
                           version.canonical, dists.size(), dists.size() == 1 ? "" : "s",
                           pypi::sanitized_url(repository.url),
                           push ? fmt::format(", the image for {}", push->target().name()) : ""));
  if (options.preflight_only) return 0;

  // The release: wheels, then the sdist, then the image tags.
  UploadOptions upload;
  upload.pipeline = options.pipeline;
  run_upload_stage(upload, environment, reporter, &connection);
  json record;
  record["format"] = kReleaseRecordFormat;
  record["pipeline"] = p.name;
  record["version"] = version.canonical;
  const auto revision = docker::image_label(engine, image_id, docker::kRevisionLabel);
  record["git"] = {{"revision", revision.substr(0, revision.find("-dirty"))},
                   {"dirty", revision.ends_with("-dirty")}};
  record["index"] = pypi::sanitized_url(repository.url);
  const auto after = index_listing(connection, project);
  record["dists"] = json::array();
  for (const auto& dist : dists) {
    const auto name = dist.file.filename().string();
    const auto* listed = after ? after->find(name) : nullptr;
    record["dists"].push_back({{"file", name},
                               {"size", dist.size},
                               {"sha256", dist.sha256},
                               {"url", listed != nullptr && !listed->href.empty()
                                           ? pypi::resolve_link(after->page_url, listed->href)
                                           : ""}});
  }
  record["image"] = {{"id", "sha256:" + image_id}};
  if (!images.empty()) record["image"]["variants"] = images;
  if (push) {
    record["registry"] = push->target().name();
    record["image"]["pushed"] = json::array();
    for (const auto& tag : push->run(reporter)) {
      record["image"]["pushed"].push_back(
          {{"tag", tag.tag}, {"reference", push->target().pinned(tag.digest)}});
    }
  }
  record["verify"] = verify_results(p);
  reporter.summarize({"Release",
                      {"pipeline", "version", "revision", "index", "image"},
                      {{p.name, version.canonical, record["git"]["revision"].get<std::string>(),
                        record["index"].get<std::string>(), "sha256:" + image_id}}});

  // Rewritten only when what it records changed: times alone are no news.
  const auto file = p.output_dir / "release.json";
  if (const auto old = text::read_file(file)) {
    auto earlier = json::parse(*old, nullptr, false);
    if (earlier.is_object()) {
      earlier.erase("started");
      earlier.erase("finished");
      if (earlier == record) {
        reporter.say(fmt::format("release {} {} is up to date ({} unchanged)", p.name,
                                 version.canonical, file.string()));
        return 0;
      }
    }
  }
  record["started"] = started;
  record["finished"] = now_utc();
  text::write_file_atomically(file, record.dump(2) + "\n");
  reporter.say(fmt::format("released {} {}: {}", p.name, version.canonical, file.string()));
  return 0;
}

}  // namespace dp::stages
