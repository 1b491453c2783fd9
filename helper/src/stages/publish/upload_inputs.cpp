#include "stages/publish/upload_inputs.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "pypi/check/dist_check.hpp"
#include "pypi/dist/dist_files.hpp"
#include "pypi/errors.hpp"

namespace dp::stages {

std::vector<pypi::Distribution> inspected_dists(const std::vector<std::filesystem::path>& files,
                                                Reporter& reporter) {
  std::vector<pypi::Distribution> dists;
  for (const auto& file : pypi::wheels_first(files)) {
    try {
      const auto report = pypi::check_uploadable(pypi::inspect_distribution(file));
      if (!report.passed()) {
        throw pypi::DistributionError(
            fmt::format("{}: {}", file.string(), fmt::join(report.errors, "; ")));
      }
      for (const auto& warning : report.warnings) {
        reporter.log(fmt::format("warning: {}: {}", file.string(), warning));
      }
      dists.push_back(*report.distribution);
    } catch (const pypi::DistributionError& error) {
      throw pypi::DistributionError(fmt::format("{} (nothing was uploaded)", error.what()));
    }
  }
  return dists;
}

std::optional<std::filesystem::path> tls_file(const TlsFileSources& sources,
                                              const process::EnvironmentLookup& environment) {
  std::optional<std::string> value;
  std::string origin{sources.option_name};
  if (!sources.option.empty()) value = sources.option;
  if (!value && !sources.variable.empty()) {
    if (auto from_environment = environment(sources.variable);
        from_environment && !from_environment->empty()) {
      value = std::move(from_environment);
      origin = sources.variable;
    }
  }
  if (!value && sources.section_value && !sources.section_value->empty()) {
    value = sources.section_value;
    origin = sources.section_origin;
  }
  if (!value) return std::nullopt;
  if (!std::filesystem::is_regular_file(*value)) {
    throw pypi::ConfigurationError(fmt::format("{}: no such file: {}", origin, *value));
  }
  return std::filesystem::path{*value};
}

}  // namespace dp::stages
