#include "stages/publish/index_connection.hpp"

#include <fmt/core.h>

#include <chrono>
#include <optional>

#include "pypi/errors.hpp"
#include "pypi/trusted/trusted_publishing.hpp"
#include "stages/publish/upload_inputs.hpp"

namespace dp::stages {
namespace {

std::optional<std::string> given(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return value;
}

// --trusted-publishing, else DOCKER_PIPELINE_TRUSTED_PUBLISHING, else the pipeline's.
pypi::TrustedPublishing trusted_publishing_mode(const UploadOptions& options,
                                                const pipeline::Pipeline* pipeline,
                                                const process::EnvironmentLookup& environment) {
  if (!options.trusted_publishing.empty()) {
    return pypi::parse_trusted_publishing(options.trusted_publishing, "--trusted-publishing");
  }
  if (const auto value = environment("DOCKER_PIPELINE_TRUSTED_PUBLISHING");
      value && !value->empty()) {
    return pypi::parse_trusted_publishing(*value, "DOCKER_PIPELINE_TRUSTED_PUBLISHING");
  }
  if (pipeline == nullptr) return pypi::TrustedPublishing::automatic;
  return pypi::parse_trusted_publishing(
      pipeline->trusted_publishing,
      fmt::format("TRUSTED_PUBLISHING of {}", pipeline->file.string()));
}

}  // namespace

IndexConnection connect_index(const UploadOptions& options, const pipeline::Pipeline* pipeline,
                              const process::EnvironmentLookup& environment, Reporter& reporter) {
  pypi::RepositoryOptions repository_options;
  repository_options.repository_name = given(options.repository_name);
  repository_options.repository_url = given(options.repository_url);
  repository_options.username = given(options.username);
  if (!options.config_file.empty()) repository_options.config_file = options.config_file;
  repository_options.password_on_command_line = options.password_on_command_line;
  if (pipeline != nullptr) {
    pypi::apply_pipeline_repository(repository_options, pipeline->repository);
  }
  const auto mode = trusted_publishing_mode(options, pipeline, environment);
  const auto provider = mode == pypi::TrustedPublishing::never
                            ? pypi::IdTokenProvider::none
                            : pypi::id_token_provider(environment);
  if (mode == pypi::TrustedPublishing::always && provider == pypi::IdTokenProvider::none) {
    throw pypi::ConfigurationError(
        "trusted publishing is 'always', but this job has no OpenID Connect ID token: run it in "
        "GitHub Actions with `permissions: id-token: write`, or in GitLab CI with `id_tokens`");
  }
  // A job that could publish without a password, given an ID token, is told how to get one.
  repository_options.credentials_optional = provider != pypi::IdTokenProvider::none;
  if (mode != pypi::TrustedPublishing::never && provider == pypi::IdTokenProvider::none &&
      environment("GITHUB_ACTIONS") == "true") {
    repository_options.missing_credentials_hint =
        "; or publish with no password through trusted publishing: give the job "
        "`permissions: id-token: write`";
  }
  IndexConnection connection{pypi::resolve_repository(repository_options, environment), {}, {}};
  auto& repository = connection.repository;
  auto& http = connection.http;
  http.stall_timeout = std::chrono::seconds{options.timeout_seconds};
  const auto section_key = [&](std::string_view key) {
    return fmt::format("{} of [{}] in the .pypirc", key, repository.name);
  };
  http.ca_bundle =
      tls_file({options.cert, "--cert", "TWINE_CERT", repository.ca_cert, section_key("ca_cert")},
               environment);
  http.client_cert = tls_file({options.client_cert,
                               "--client-cert",
                               {},
                               repository.client_cert,
                               section_key("client_cert")},
                              environment);
  if (provider != pypi::IdTokenProvider::none &&
      (mode == pypi::TrustedPublishing::always || repository.password.empty())) {
    connection.renew_password = [url = repository.url, provider, environment, http, &reporter] {
      auto token = pypi::mint_api_token(url, provider, environment, http);
      reporter.mask(token);
      return token;
    };
    repository.username = pypi::kTokenUsername;
    repository.username_origin = "trusted publishing";
    repository.password_origin =
        fmt::format("trusted publishing ({})", pypi::provider_name(provider));
    if (options.dry_run) {
      repository.password_origin += ", minted when uploading";
    } else {
      repository.password = connection.renew_password();
    }
  } else if (!repository.password.empty()) {
    reporter.mask(repository.password);
  }
  return connection;
}

std::vector<std::string> simple_index_urls(const IndexConnection& connection,
                                           const std::string& index_url) {
  return pypi::simple_index_candidates(connection.repository.url, given(index_url));
}

pypi::SimpleIndex simple_index(const IndexConnection& connection,
                               std::vector<std::string> candidates) {
  return pypi::SimpleIndex{
      std::move(candidates), connection.repository,
      [http = connection.http](const std::string& url, const std::string& accept,
                               const pypi::ResolvedRepository* credentials) {
        return pypi::http_get(url, accept, credentials, http);
      }};
}

}  // namespace dp::stages
