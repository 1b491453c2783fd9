#include "docker/image_store.hpp"

#include <fmt/core.h>

#include <stdexcept>

#include "process/interrupts.hpp"
#include "process/process.hpp"
#include "text/text.hpp"

namespace dp::docker {
namespace {

process::Result run_quietly(const Engine& engine, std::vector<std::string> args) {
  process::Options options;
  options.capture_stdout = options.capture_stderr = true;
  options.timeout = std::chrono::minutes(2);
  auto result = process::run(engine.command(std::move(args)), options);
  if (result.interrupted_by != 0) throw process::Interrupted(result.interrupted_by);
  return result;
}

bool says_missing(const std::string& message) {
  const auto lower = text::lowercase(message);
  return lower.find("no such image") != std::string::npos ||
         lower.find("image not known") != std::string::npos ||
         lower.find("no such object") != std::string::npos ||
         lower.find("not found") != std::string::npos;
}

}  // namespace

std::string_view bare_image_id(std::string_view id) {
  if (id.starts_with("sha256:")) id.remove_prefix(7);
  return id;
}

std::optional<std::string> local_image_id(const Engine& engine, const std::string& reference) {
  const auto result = run_quietly(engine, {"image", "inspect", "--format", "{{.Id}}", reference});
  if (!result.ok()) {
    if (says_missing(result.err)) return std::nullopt;
    throw EngineError(fmt::format("{} image inspect {} failed: {}", engine.client, reference,
                                  text::trim(result.err)));
  }
  const auto id = text::trim(result.out);
  return std::string(bare_image_id(id.substr(0, id.find('\n'))));
}

std::string image_label(const Engine& engine, const std::string& reference,
                        const std::string& name) {
  const auto result =
      run_quietly(engine, {"image", "inspect", "--format",
                           fmt::format("{{{{index .Config.Labels \"{}\"}}}}", name), reference});
  if (!result.ok()) {
    throw EngineError(fmt::format("{} image inspect {} failed: {}", engine.client, reference,
                                  text::trim(result.err)));
  }
  const auto value = std::string(text::trim(result.out));
  return value == "<no value>" ? std::string() : value;
}

void tag_image(const Engine& engine, const std::string& id, const std::string& tag) {
  const auto result = run_quietly(engine, {"tag", id, tag});
  if (!result.ok()) {
    throw EngineError(
        fmt::format("{} tag {} {} failed: {}", engine.client, id, tag, text::trim(result.err)));
  }
}

void push_image(const Engine& engine, const std::string& reference, bool plain_http) {
  std::vector<std::string> args{"push", "--quiet"};
  if (engine.kind == EngineKind::podman && plain_http) args.emplace_back("--tls-verify=false");
  args.push_back(reference);
  process::Options options;
  options.capture_stdout = options.capture_stderr = true;
  const auto result = process::run(engine.command(std::move(args)), options);
  if (result.interrupted_by != 0) throw process::Interrupted(result.interrupted_by);
  if (!result.ok()) {
    const auto said = text::trim(result.err.empty() ? result.out : result.err);
    throw EngineError(fmt::format("{} push {} failed (exit status {}): {}", engine.client,
                                  reference, result.status(), said));
  }
}

}  // namespace dp::docker
