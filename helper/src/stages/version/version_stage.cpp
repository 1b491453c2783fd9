#include "stages/version/version_stage.hpp"

#include <fmt/core.h>

#include "core/errors.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/resolved_version.hpp"
#include "version/bump.hpp"
#include "version/pep440.hpp"
#include "version/semver.hpp"

namespace dp::stages {
namespace {

// The action's output line, or nothing.
std::optional<std::string> pep440(VersionAction action, const std::vector<std::string>& values) {
  switch (action) {
    case VersionAction::normalize:
      return version::normalize(values.at(0));
    case VersionAction::check:
      version::parse(values.at(0));
      return std::nullopt;
    case VersionAction::compare:
      return fmt::format(
          "{}", version::compare(version::parse(values.at(0)), version::parse(values.at(1))));
    case VersionAction::bump:
      return version::to_string(
          version::bump(version::parse(values.at(1)), version::parse_bump_parts(values.at(0))));
    case VersionAction::docker_tag:
      break;
  }
  return version::docker_tag(version::parse(values.at(0)));
}

// The command line allows only normalize, check and compare with --semver.
std::optional<std::string> semver(VersionAction action, const std::vector<std::string>& values) {
  switch (action) {
    case VersionAction::normalize:
      return version::to_string(version::to_semver(values.at(0)));
    case VersionAction::check:
      version::parse_semver(values.at(0));
      return std::nullopt;
    case VersionAction::compare:
      return fmt::format("{}", version::compare(version::parse_semver(values.at(0)),
                                                version::parse_semver(values.at(1))));
    default:
      throw InternalError("--semver takes only --normalize, --check and --compare");
  }
}

}  // namespace

int run_version_stage(const VersionRequest& request, Reporter& reporter) {
  if (!request.action) {
    const auto version =
        request.source ? read_version_from(*request.source)
                       : pipeline::resolve_version(pipeline::load(request.pipeline)).canonical;
    if (request.output.empty()) {
      reporter.print(version);
    } else {
      pipeline::write_version_if_changed(request.output, version);
    }
    return 0;
  }
  if (!request.output.empty()) throw UserError("--output applies to --from and --pipeline");
  const auto line = request.semver ? semver(*request.action, request.values)
                                   : pep440(*request.action, request.values);
  if (line) reporter.print(*line);
  return 0;
}

}  // namespace dp::stages
