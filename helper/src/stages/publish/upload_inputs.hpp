#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "process/environment.hpp"
#include "pypi/dist/distribution.hpp"
#include "pypi/upload/uploader.hpp"
#include "stages/reporter.hpp"

// What the upload stage reads before it sends anything.
namespace dp::stages {

// Every file inspected before the first byte is sent: all or nothing. Upload refuses what an
// index cannot take (pypi::check_uploadable); the stricter rules (RECORD, description) are
// check's, which the publish target runs first, so what twine uploads, this uploads. Wheels come
// first. Warnings go to reporter.log; a refused file is a pypi::DistributionError.
std::vector<pypi::Distribution> inspected_dists(const std::vector<std::filesystem::path>& files,
                                                Reporter& reporter);

// The PEP 740 attestation beside each dist (<dist>.publish.attestation), read and checked against
// the dist's file name and sha256 before anything is sent (pypi::check_attestation): one that is
// not valid is a pypi::DistributionError naming it and what is wrong, and so is a dist without
// one when `required` (--attestations). The dists that have one are hashed here; the upload sends
// the attestation with them and uses these digests.
std::map<std::filesystem::path, pypi::AttestedFile> attested_dists(
    const std::vector<pypi::Distribution>& dists, bool required);

// A TLS file: the option, else the environment's `variable` (when given), else the .pypirc
// section's key, as twine orders them; the file must exist (else pypi::ConfigurationError
// naming where the value came from).
struct TlsFileSources {
  std::string option;
  std::string_view option_name;  // "--cert"
  std::string_view variable;     // "TWINE_CERT", or empty
  std::optional<std::string> section_value;
  std::string section_origin;  // "ca_cert of [name] in the .pypirc"
};
std::optional<std::filesystem::path> tls_file(const TlsFileSources& sources,
                                              const process::EnvironmentLookup& environment);

}  // namespace dp::stages
