#include "docker/engine.hpp"

#include <fmt/core.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "process/process.hpp"
#include "text/text.hpp"

namespace dp::docker {
namespace {

// The first line of what the client said, for messages.
std::string first_line(const process::Result& result) {
  const auto& text = result.err.empty() ? result.out : result.err;
  const auto trimmed = text::trim(text);
  return std::string(trimmed.substr(0, trimmed.find('\n')));
}

process::Options quiet() {
  process::Options options;
  options.capture_stdout = options.capture_stderr = true;
  options.timeout = std::chrono::seconds(30);
  return options;
}

// {major, minor} of "20.10.24+dfsg1"; nullopt when it does not start with two numbers.
std::optional<std::pair<int, int>> major_minor(std::string_view version) {
  int major = 0, minor = 0;
  const auto* end = version.data() + version.size();
  auto [after_major, e1] = std::from_chars(version.data(), end, major);
  if (e1 != std::errc{} || after_major == end || *after_major != '.') return std::nullopt;
  auto [after_minor, e2] = std::from_chars(after_major + 1, end, minor);
  if (e2 != std::errc{}) return std::nullopt;
  return std::pair{major, minor};
}

// DOCKER_BUILDKIT as the docker client reads it (Go's strconv.ParseBool).
bool parse_buildkit_variable(std::string_view value) {
  for (const auto* yes : {"1", "t", "T", "true", "TRUE", "True"})
    if (value == yes) return true;
  for (const auto* no : {"0", "f", "F", "false", "FALSE", "False"})
    if (value == no) return false;
  throw EngineError(
      fmt::format("DOCKER_BUILDKIT={}: expected 1 (BuildKit) or 0 (the classic builder)", value));
}

struct Probe {
  bool answers = false;
  std::string version;
  std::string problem;  // why it does not answer
};

// One cheap round trip: the client's version, and whether its engine answers (docker asks the
// daemon, through DOCKER_HOST or the current context; podman's version needs no service).
Probe probe(const std::string& client, EngineKind kind) {
  const auto result =
      process::run({client, "version", "--format",
                    kind == EngineKind::podman ? "{{.Client.Version}}"
                                               : "{{.Client.Version}} {{.Server.Version}}"},
                   quiet());
  Probe probe;
  const auto words = std::string(text::trim(result.out));
  probe.version = words.substr(0, words.find(' '));
  probe.answers = result.ok();
  if (!probe.answers) probe.problem = first_line(result);
  return probe;
}

bool has_buildx(const std::string& client) {
  return process::run({client, "buildx", "version"}, quiet()).ok();
}

// Where the client reaches its engine when the environment says: "DOCKER_HOST=unix:///...",
// "docker context <name>"; else "" (the client's default).
std::string endpoint(EngineKind kind) {
  const char* variable = kind == EngineKind::podman ? "CONTAINER_HOST" : "DOCKER_HOST";
  if (const char* host = std::getenv(variable); host != nullptr && *host) {
    return fmt::format("{}={}", variable, host);
  }
  if (kind == EngineKind::docker) {
    if (const char* context = std::getenv("DOCKER_CONTEXT"); context != nullptr && *context) {
      return fmt::format("docker context {}", context);
    }
  }
  return "";
}

Engine finish(std::string client, std::string reason, const Probe& probe) {
  Engine engine;
  engine.client = std::move(client);
  engine.kind = is_podman_client(engine.client) ? EngineKind::podman : EngineKind::docker;
  engine.version = probe.version;
  engine.reason = std::move(reason);
  if (engine.kind == EngineKind::podman) {
    engine.reason += fmt::format("; podman {} builds with its own builder", engine.version);
  } else {
    const bool buildx = major_minor(engine.version).value_or(std::pair{99, 0}).first >= 23 &&
                        has_buildx(engine.client);
    auto choice = choose_docker_builder(engine.version, buildx, std::getenv("DOCKER_BUILDKIT"));
    engine.buildkit = choice.buildkit;
    engine.reason += "; " + choice.reason;
  }
  if (const auto where = endpoint(engine.kind); !where.empty())
    engine.reason += ", engine: " + where;
  return engine;
}

}  // namespace

std::optional<std::string> engine_gone(const Engine& engine) {
  const auto probed = probe(engine.client, engine.kind);
  if (probed.answers) return std::nullopt;
  const auto where = endpoint(engine.kind);
  return fmt::format("the {} engine ({}) stopped answering ({})",
                     engine.kind == EngineKind::podman ? "podman" : "docker",
                     where.empty() ? engine.client : where, probed.problem);
}

void throw_engine_failure(const Engine& engine, const std::string& failure) {
  if (const auto gone = engine_gone(engine)) {
    throw EngineError(fmt::format("{}: {}; run it again once it answers", failure, *gone));
  }
  throw EngineError(failure);
}

std::vector<std::string> Engine::command(std::vector<std::string> args) const {
  args.insert(args.begin(), client);
  return args;
}

std::vector<std::pair<std::string, std::string>> Engine::build_environment() const {
  if (kind == EngineKind::podman) return {};
  return {{"DOCKER_BUILDKIT", buildkit ? "1" : "0"}};
}

std::string Engine::builder() const {
  if (kind == EngineKind::podman) return "podman";
  return buildkit ? "docker (BuildKit)" : "docker (classic builder)";
}

bool is_podman_client(std::string_view client) {
  return std::filesystem::path(client).filename().string().starts_with("podman");
}

std::optional<EngineRequest> requested_engine(std::string_view pipeline_engine,
                                              const char* environment_value) {
  if (!pipeline_engine.empty()) {
    return EngineRequest{std::string(pipeline_engine),
                         fmt::format("the pipeline's ENGINE is {}", pipeline_engine)};
  }
  if (environment_value != nullptr && *environment_value) {
    return EngineRequest{
        environment_value,
        fmt::format("DOCKER_PIPELINE_ENGINE={} in the environment", environment_value)};
  }
  return std::nullopt;
}

BuilderChoice choose_docker_builder(std::string_view client_version, bool has_buildx,
                                    const char* docker_buildkit) {
  const auto version = major_minor(client_version);
  // Clients from 18.09 to 22.x carry BuildKit themselves; from 23.0 on it is the buildx plugin.
  const bool built_in = version && *version >= std::pair{18, 9} && version->first < 23;
  const bool possible = has_buildx || built_in;
  const auto why_possible = has_buildx
                                ? std::string("the client has the buildx plugin")
                                : fmt::format("docker {} has BuildKit built in", client_version);
  if (docker_buildkit != nullptr && *docker_buildkit) {
    const bool wanted = parse_buildkit_variable(docker_buildkit);
    if (wanted && !possible) {
      throw EngineError(fmt::format(
          "DOCKER_BUILDKIT={} asks for BuildKit, but docker {} has no buildx plugin, which "
          "BuildKit needs from docker 23.0 on: install buildx, use a client that has BuildKit "
          "(DOCKER_PIPELINE_ENGINE=/path/to/docker), or set DOCKER_BUILDKIT=0",
          docker_buildkit, client_version));
    }
    return {wanted, fmt::format("{} because DOCKER_BUILDKIT={}",
                                wanted ? "BuildKit" : "the classic builder", docker_buildkit)};
  }
  if (possible) return {true, "BuildKit: " + why_possible};
  return {false, fmt::format("the classic builder: docker {} has no buildx plugin, which BuildKit "
                             "needs from docker 23.0 on",
                             client_version)};
}

Engine detect_engine(std::string_view pipeline_engine) {
  if (const auto request =
          requested_engine(pipeline_engine, std::getenv("DOCKER_PIPELINE_ENGINE"))) {
    if (process::find_executable(request->client).empty()) {
      throw EngineError(fmt::format("{}, but there is no such client in PATH", request->reason));
    }
    const auto kind = is_podman_client(request->client) ? EngineKind::podman : EngineKind::docker;
    const auto found = probe(request->client, kind);
    if (!found.answers) {
      throw EngineError(fmt::format("{}, but `{} version` fails: {}", request->reason,
                                    request->client, found.problem));
    }
    return finish(request->client, request->reason, found);
  }

  std::string docker_problem;
  if (!process::find_executable("docker").empty()) {
    const auto found = probe("docker", EngineKind::docker);
    if (found.answers) return finish("docker", "docker is in PATH and its engine answers", found);
    // An engine the user pointed docker at is the one meant; another would build elsewhere.
    for (const char* variable : {"DOCKER_HOST", "DOCKER_CONTEXT"}) {
      const char* value = std::getenv(variable);
      if (value != nullptr && *value != '\0') {
        throw EngineError(fmt::format("the docker engine of {}={} does not answer: {}", variable,
                                      value, found.problem));
      }
    }
    docker_problem = found.problem;
  }
  if (!process::find_executable("podman").empty()) {
    const auto found = probe("podman", EngineKind::podman);
    if (found.answers) {
      return finish("podman",
                    docker_problem.empty()
                        ? std::string("podman is in PATH (docker is not)")
                        : fmt::format("podman is in PATH (docker's engine does not answer: {})",
                                      docker_problem),
                    found);
    }
    if (docker_problem.empty()) docker_problem = "podman: " + found.problem;
  }
  if (!docker_problem.empty()) {
    throw EngineError(fmt::format("no working container engine: {}", docker_problem));
  }
  throw EngineError("no container engine client: neither docker nor podman is in PATH");
}

}  // namespace dp::docker
