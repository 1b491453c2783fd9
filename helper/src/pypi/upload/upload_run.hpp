#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "pypi/config/repository.hpp"
#include "pypi/dist/distribution.hpp"
#include "pypi/upload/uploader.hpp"

namespace dp::pypi {

struct RunSettings {
  UploadSettings upload;
  int jobs = 1;         // files uploaded at once (the first of a run always alone)
  bool verify = false;  // confirm every uploaded/skipped file through the simple API
  bool journal = true;  // read and write <dist folder>/.docker-pipeline-upload.json
  // A new password for short-lived credentials (trusted publishing mints another token): asked
  // once per run, when the index refuses the credentials (401 or 403); the file is then sent
  // again. Empty: a refusal is the file's outcome.
  std::function<std::string()> renew_password;
};

// Called from the worker threads; implementations serialize their own output.
struct RunHooks {
  std::function<ProgressCallback(const Distribution&)> progress_for;  // may be empty
  std::function<void(const Distribution&, const UploadResult&)> on_result;
  std::function<void(std::string_view)> warn;
};

struct RunSummary {
  std::vector<UploadResult> results;         // in the order of the distributions
  std::vector<std::string> verify_failures;  // each names its file
  int uploaded = 0;
  int skipped = 0;
  int failed = 0;
  std::vector<std::string> failed_files;
  int interrupted_by = 0;  // the interrupting signal that stopped the run, if one did
  int unfinished = 0;      // files without an outcome because of it

  bool ok() const { return failed == 0 && verify_failures.empty() && interrupted_by == 0; }
};

// Uploads the distributions in their order (wheels first is the caller's order), `jobs` at a
// time; every file finishes even when others fail. Files journaled as uploaded to this
// repository with the same sha256 are not sent again (confirmed on the simple index when one
// answers). Each outcome is journaled beside its file. An interrupting signal stops every
// transfer and wait at once: the files that had an outcome are counted and journaled, the
// others are `unfinished` and left out of the journal, and nothing is verified.
RunSummary upload_all(const ResolvedRepository& repository,
                      const std::vector<Distribution>& distributions, const RunSettings& settings,
                      const RunHooks& hooks);

}  // namespace dp::pypi
