#include "stages/publish/upload_inputs.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "digest/file_digests.hpp"
#include "pypi/check/attestation_check.hpp"
#include "pypi/check/dist_check.hpp"
#include "pypi/dist/dist_files.hpp"
#include "pypi/errors.hpp"
#include "pypi/upload/upload_form.hpp"
#include "text/file.hpp"

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

std::map<std::filesystem::path, pypi::AttestedFile> attested_dists(
    const std::vector<pypi::Distribution>& dists, bool required) {
  std::vector<std::pair<const pypi::Distribution*, std::filesystem::path>> found;
  std::vector<std::string> missing;
  for (const auto& dist : dists) {
    auto file = pypi::attestation_file_of(dist.path);
    std::error_code error;
    if (std::filesystem::exists(file, error)) {
      found.emplace_back(&dist, std::move(file));
    } else if (required) {
      missing.push_back(file.string());
    }
  }
  if (!missing.empty()) {
    throw pypi::DistributionError(
        fmt::format("{}: no such file; --attestations requires every dist's attestation beside it "
                    "(nothing was uploaded)",
                    fmt::join(missing, ", ")));
  }
  std::map<std::filesystem::path, pypi::AttestedFile> attested;
  for (const auto& [dist, file] : found) {
    const auto content = text::read_file(file);
    if (!content) {
      throw pypi::DistributionError(fmt::format("{}: cannot be read: {} (nothing was uploaded)",
                                                file.string(), std::strerror(errno)));
    }
    auto digests = digest::compute_file_digests(dist->path);
    const auto findings =
        pypi::check_attestation(file, *content, dist->path.filename().string(), digests.sha256);
    if (!findings.errors.empty()) {
      throw pypi::DistributionError(
          fmt::format("{} (nothing was uploaded)", fmt::join(findings.errors, "; ")));
    }
    attested.emplace(dist->path,
                     pypi::AttestedFile{pypi::attestations_field_value(*content), digests});
  }
  return attested;
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
