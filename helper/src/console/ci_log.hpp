#pragma once

#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>

#include "process/environment.hpp"

// What a CI system's log makes of the helper's output: collapsible sections per command and
// annotations for errors, in GitHub Actions' workflow commands or GitLab CI's section markers.
namespace dp::console {

enum class CiSystem {
  none,    // a terminal or a plain log
  github,  // GITHUB_ACTIONS=true
  gitlab,  // GITLAB_CI=true
};

CiSystem detect_ci(const process::EnvironmentLookup& environment);

// A collapsible section around one command's output, titled "docker-pipeline <command> <name>"
// (the pipeline's name from its file, <name>.pipeline.json, when given): "::group::" and
// "::endgroup::" on GitHub Actions; GitLab's section_start and section_end markers (collapsed)
// on GitLab CI; nothing elsewhere. The end is written when the object goes, whatever happened.
class CiSection {
 public:
  CiSection(CiSystem system, std::string_view command, const std::string& pipeline_file,
            std::FILE* out = stdout, std::time_t now = std::time(nullptr));
  ~CiSection();
  CiSection(const CiSection&) = delete;
  CiSection& operator=(const CiSection&) = delete;

 private:
  CiSystem system_;
  std::string name_;  // GitLab's section name: [a-z0-9_.-]
  std::FILE* out_;
};

// The line that makes a failed command's message an annotation of the run
// ("::error title=docker-pipeline <command>::<message>" on GitHub Actions, the message escaped as
// workflow commands want it); "" where the CI shows errors by other means.
std::string ci_error_line(CiSystem system, std::string_view command, std::string_view message);

// The line that hides a secret in the rest of the log ("::add-mask::<value>" on GitHub Actions,
// which prints it as ***); "" elsewhere, and for a value with a line break, which the command
// could not carry whole.
std::string ci_mask_line(CiSystem system, std::string_view secret);

}  // namespace dp::console
