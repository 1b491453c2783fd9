#include "pypi/dist/metadata_fields.hpp"

#include <algorithm>
#include <array>

#include "pypi/dist/core_metadata.hpp"

namespace dp::pypi {
namespace {

using version::FormatVersion;

// The form names are twine's (package._RAW_TO_PACKAGE_METADATA); Import-Name and
// Import-Namespace (2.5) are read but, as twine 7 does, not sent.
constexpr std::array<MetadataFieldSpec, 32> fields = {{
    {"Metadata-Version", {1, 0}, "metadata_version", FieldShape::single},
    {"Name", {1, 0}, "name", FieldShape::single},
    {"Version", {1, 0}, "version", FieldShape::single},
    {"Platform", {1, 0}, "platform", FieldShape::multiple},
    {"Summary", {1, 0}, "summary", FieldShape::single},
    {"Description", {1, 0}, "description", FieldShape::single},
    {"Keywords", {1, 0}, "keywords", FieldShape::keywords},
    {"Home-page", {1, 0}, "home_page", FieldShape::single},
    {"Author", {1, 0}, "author", FieldShape::single},
    {"Author-email", {1, 0}, "author_email", FieldShape::single},
    {"License", {1, 0}, "license", FieldShape::single},
    {"Supported-Platform", {1, 1}, "supported_platform", FieldShape::multiple},
    {"Download-URL", {1, 1}, "download_url", FieldShape::single},
    {"Classifier", {1, 1}, "classifiers", FieldShape::multiple},
    {"Requires", {1, 1}, "requires", FieldShape::multiple},
    {"Provides", {1, 1}, "provides", FieldShape::multiple},
    {"Obsoletes", {1, 1}, "obsoletes", FieldShape::multiple},
    {"Maintainer", {1, 2}, "maintainer", FieldShape::single},
    {"Maintainer-email", {1, 2}, "maintainer_email", FieldShape::single},
    {"Requires-Dist", {1, 2}, "requires_dist", FieldShape::multiple},
    {"Provides-Dist", {1, 2}, "provides_dist", FieldShape::multiple},
    {"Obsoletes-Dist", {1, 2}, "obsoletes_dist", FieldShape::multiple},
    {"Requires-Python", {1, 2}, "requires_python", FieldShape::single},
    {"Requires-External", {1, 2}, "requires_external", FieldShape::multiple},
    {"Project-URL", {1, 2}, "project_urls", FieldShape::project_url},
    {"Description-Content-Type", {2, 1}, "description_content_type", FieldShape::single},
    {"Provides-Extra", {2, 1}, "provides_extra", FieldShape::multiple},
    {"Dynamic", {2, 2}, "dynamic", FieldShape::multiple},
    {"License-Expression", {2, 4}, "license_expression", FieldShape::single},
    {"License-File", {2, 4}, "license_file", FieldShape::multiple},
    {"Import-Name", {2, 5}, "", FieldShape::multiple},
    {"Import-Namespace", {2, 5}, "", FieldShape::multiple},
}};

constexpr std::array<std::string_view, 8> published_versions = {"1.0", "1.1", "1.2", "2.1",
                                                                "2.2", "2.3", "2.4", "2.5"};

}  // namespace

const MetadataFieldSpec* metadata_field(std::string_view header) {
  const auto found = std::find_if(fields.begin(), fields.end(), [header](const auto& field) {
    return equals_ignoring_case(field.header, header);
  });
  return found == fields.end() ? nullptr : &*found;
}

bool is_published_metadata_version(std::string_view version) {
  return std::find(published_versions.begin(), published_versions.end(), version) !=
         published_versions.end();
}

}  // namespace dp::pypi
