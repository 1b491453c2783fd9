#pragma once

#include <filesystem>
#include <string_view>

#include "pypi/check/check_findings.hpp"

// PEP 740 attestations, as PyPI's legacy upload API takes them and `twine upload --attestations`
// and gh-action-pypi-publish send them: the file <dist>.publish.attestation beside the dist, one
// attestation object in JSON.
namespace dp::pypi {

inline constexpr std::string_view kAttestationSuffix = ".publish.attestation";

// <the dist's folder>/<the dist's file name>.publish.attestation
std::filesystem::path attestation_file_of(const std::filesystem::path& dist);

// The shape of an attestation (`content`, read from `attestation_file`) of the dist named
// `dist_file_name` whose sha256 is `sha256` (hex): JSON; `version` 1; `verification_material` an
// object; `envelope.statement` and `envelope.signature` strings; the statement base64 of an
// in-toto Statement v1 (`_type` "https://in-toto.io/Statement/v1") in JSON with exactly one
// `subject`, whose `name` is the dist's file name and `digest.sha256` its sha256, and a string
// `predicateType`. Each problem is one error line naming the file and the field. The signature
// itself is not verified (the index does that).
CheckFindings check_attestation(const std::filesystem::path& attestation_file,
                                std::string_view content, std::string_view dist_file_name,
                                std::string_view sha256);

// The same for the file as it is on disk; a file that cannot be read is an error naming it.
CheckFindings check_attestation_file(const std::filesystem::path& attestation_file,
                                     std::string_view dist_file_name, std::string_view sha256);

}  // namespace dp::pypi
