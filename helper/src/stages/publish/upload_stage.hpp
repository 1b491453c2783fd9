#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/pipeline.hpp"
#include "process/environment.hpp"
#include "pypi/config/repository.hpp"
#include "pypi/http/curl_session.hpp"
#include "pypi/http/retry_policy.hpp"
#include "pypi/index/simple_index.hpp"
#include "stages/reporter.hpp"

// The upload stage (`docker-pipeline upload`): sdists and wheels to a PyPI-compatible index, the
// way twine uploads them.
namespace dp::stages {

struct UploadOptions {
  std::vector<std::string> files;  // files or glob patterns; none: the pipeline's dists
  std::filesystem::path pipeline;  // optional: its REPOSITORY, SKIP_EXISTING, VERIFY and version
  std::string repository_name;     // empty: not given (here and below)
  std::string repository_url;
  std::string index_url;
  std::string username;
  std::string config_file;
  bool password_on_command_line = false;  // always refused
  std::string comment;
  std::string cert;
  std::string client_cert;
  int timeout_seconds = static_cast<int>(pypi::HttpOptions{}.stall_timeout.count());
  int retries = pypi::RetryPolicy{}.retries;
  // Files uploaded at once. On a real network one connection does not fill the link (twine and
  // uv upload one file at a time); 4 got 87-91% of what 8 got in bench/upload-network.
  int jobs = 4;
  bool skip_existing = false;
  bool verify = false;
  bool dry_run = false;
  bool verbose = false;
  bool allow_local_version = false;
  bool no_journal = false;  // neither read nor write <dist folder>/.docker-pipeline-upload.json
  // Every dist must have its PEP 740 attestation beside it (<file>.publish.attestation); without
  // this, the attestations found are checked and sent with their dists, and none is fine.
  bool attestations = false;
  // auto, always or never; empty: DOCKER_PIPELINE_TRUSTED_PUBLISHING, else the pipeline's, else
  // auto.
  std::string trusted_publishing;
};

// Where an upload with `options` goes and how the index is reached: the repository as twine
// resolves it (with the pipeline's REPOSITORY when given), and the transport settings
// (--timeout; --cert, TWINE_CERT or the section's ca_cert; --client-cert or client_cert). With
// trusted publishing (see pypi/trusted), the credentials are `__token__` and a token the index
// minted for this job (not yet minted for a dry run), and `renew_password` mints another. The
// password goes to the reporter's mask(). Throws as pypi::resolve_repository and
// pypi::mint_api_token do.
struct IndexConnection {
  pypi::ResolvedRepository repository;
  pypi::HttpOptions http;
  std::function<std::string()> renew_password;  // empty: not renewable
};
IndexConnection connect_index(const UploadOptions& options, const pipeline::Pipeline* pipeline,
                              const process::EnvironmentLookup& environment, Reporter& reporter);

// Where the index's simple API may be (`index_url` alone when not empty), and that API, asked
// with the connection's settings and its credentials where they belong.
std::vector<std::string> simple_index_urls(const IndexConnection& connection,
                                           const std::string& index_url);
pypi::SimpleIndex simple_index(const IndexConnection& connection,
                               std::vector<std::string> candidates);

// Reads every file first (all or nothing), then uploads wheels before sdists. Returns 0; a file
// that failed or was not verified is a pypi::UploadError, an interrupt process::Interrupted
// (both after the summary line). `environment` supplies TWINE_* variables. `connection`, when
// given, is the index's (publish connected before its preflight); else it is connect_index()'s.
int run_upload_stage(const UploadOptions& options, const process::EnvironmentLookup& environment,
                     Reporter& reporter, const IndexConnection* connection = nullptr);

}  // namespace dp::stages
