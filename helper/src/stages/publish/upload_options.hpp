#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "pypi/http/curl_session.hpp"
#include "pypi/http/retry_policy.hpp"

// What `docker-pipeline upload` is asked to do: its command line, which publish fills too.
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

}  // namespace dp::stages
