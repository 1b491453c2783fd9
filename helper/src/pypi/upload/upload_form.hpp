#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digest/file_digests.hpp"
#include "pypi/dist/distribution.hpp"
#include "pypi/http/http_client.hpp"

namespace dp::pypi {

// The form name twine gives a core metadata header ("Home-page" -> "home_page",
// "Classifier" -> "classifiers", ...), or nothing for a header the upload API does not know.
std::optional<std::string> form_name_of(std::string_view metadata_header);

// The text fields of a legacy-API file upload, as twine builds them: every known metadata
// field (multi-valued ones repeated; Keywords joined with ", "; Project-URL as "label, url";
// License-File dropped below Metadata-Version 2.4), the name made safe, then pyversion,
// filetype, comment, the digests, ":action" = "file_upload" and protocol_version = "1".
// The file itself ("content") is not among them.
std::vector<FormField> upload_form_fields(const Distribution& distribution,
                                          const digest::FileDigests& digests,
                                          const std::optional<std::string>& comment);

// The same fields without the digests, for a form that sends them after the content.
std::vector<FormField> upload_form_fields(const Distribution& distribution,
                                          const std::optional<std::string>& comment);

// The "attestations" field's value for a file's PEP 740 attestation (the JSON object of
// <dist>.publish.attestation): a JSON array holding it, as PyPI's upload API takes it and twine
// sends it. Throws DistributionError when `attestation_json` is not JSON.
std::string attestations_field_value(std::string_view attestation_json);

// Adds the "attestations" field to fields of upload_form_fields where twine sends it: after the
// comment, before the digests and ":action".
void add_attestations_field(std::vector<FormField>& fields, std::string value);

// The digest fields' names and their values' lengths: sha256_digest (64 hex digits) and
// blake2_256_digest (64). twine 7 sends no md5_digest any more, and neither does this.
struct DigestField {
  std::string_view name;
  std::size_t length;
  std::string digest::FileDigests::*value;
};
inline constexpr DigestField kDigestFields[] = {
    {"sha256_digest", 64, &digest::FileDigests::sha256},
    {"blake2_256_digest", 64, &digest::FileDigests::blake2b_256}};

}  // namespace dp::pypi
