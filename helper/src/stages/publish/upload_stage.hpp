#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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
  int jobs = 1;
  bool skip_existing = false;
  bool verify = false;
  bool dry_run = false;
  bool verbose = false;
  bool allow_local_version = false;
  bool no_journal = false;  // neither read nor write <dist folder>/.docker-pipeline-upload.json
  // Every dist must have its PEP 740 attestation beside it (<file>.publish.attestation); without
  // this, the attestations found are checked and sent with their dists, and none is fine.
  bool attestations = false;
};

// Where an upload with `options` goes and how the index is reached: the repository as twine
// resolves it (with the pipeline's REPOSITORY when given), and the transport settings
// (--timeout; --cert, TWINE_CERT or the section's ca_cert; --client-cert or client_cert).
// Throws as pypi::resolve_repository does.
struct IndexConnection {
  pypi::ResolvedRepository repository;
  pypi::HttpOptions http;
};
IndexConnection connect_index(const UploadOptions& options,
                              const std::optional<std::string>& pipeline_repository,
                              const process::EnvironmentLookup& environment);

// Where the index's simple API may be (`index_url` alone when not empty), and that API, asked
// with the connection's settings and its credentials where they belong.
std::vector<std::string> simple_index_urls(const IndexConnection& connection,
                                           const std::string& index_url);
pypi::SimpleIndex simple_index(const IndexConnection& connection,
                               std::vector<std::string> candidates);

// Reads every file first (all or nothing), then uploads wheels before sdists. Returns 0; a file
// that failed or was not verified is a pypi::UploadError, an interrupt process::Interrupted
// (both after the summary line). `environment` supplies TWINE_* variables.
int run_upload_stage(const UploadOptions& options, const process::EnvironmentLookup& environment,
                     Reporter& reporter);

}  // namespace dp::stages
