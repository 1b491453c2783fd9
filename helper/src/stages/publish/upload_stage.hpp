#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "process/environment.hpp"
#include "pypi/http/curl_session.hpp"
#include "pypi/http/retry_policy.hpp"
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
};

// Reads every file first (all or nothing), then uploads wheels before sdists. Returns 0; a file
// that failed or was not verified is a pypi::UploadError, an interrupt process::Interrupted
// (both after the summary line). `environment` supplies TWINE_* variables.
int run_upload_stage(const UploadOptions& options, const process::EnvironmentLookup& environment,
                     Reporter& reporter);

}  // namespace dp::stages
