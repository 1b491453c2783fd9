#pragma once

#include "process/environment.hpp"
#include "stages/publish/index_connection.hpp"
#include "stages/publish/upload_options.hpp"
#include "stages/reporter.hpp"

// The upload stage (`docker-pipeline upload`): sdists and wheels to a PyPI-compatible index, the
// way twine uploads them.
namespace dp::stages {

// Reads every file first (all or nothing), then uploads wheels before sdists. Returns 0; a file
// that failed or was not verified is a pypi::UploadError, an interrupt process::Interrupted
// (both after the summary line). `environment` supplies TWINE_* variables. `connection`, when
// given, is the index's (publish connected before its preflight); else it is connect_index()'s.
int run_upload_stage(const UploadOptions& options, const process::EnvironmentLookup& environment,
                     Reporter& reporter, const IndexConnection* connection = nullptr);

}  // namespace dp::stages
