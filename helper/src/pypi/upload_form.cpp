#include "pypi/upload_form.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "pypi/dist_names.hpp"
#include "text/text.hpp"

namespace dp::pypi {
namespace {

enum class Shape { single, multiple, keywords, project_url };

struct FieldMapping {
  std::string_view header;
  std::string_view form_name;
  Shape shape;
};

// twine's package._RAW_TO_PACKAGE_METADATA, keyed by the headers packaging reads them from.
constexpr std::array<FieldMapping, 30> field_mappings = {{
    {"Metadata-Version", "metadata_version", Shape::single},
    {"Name", "name", Shape::single},
    {"Version", "version", Shape::single},
    {"Platform", "platform", Shape::multiple},
    {"Summary", "summary", Shape::single},
    {"Description", "description", Shape::single},
    {"Keywords", "keywords", Shape::keywords},
    {"Home-page", "home_page", Shape::single},
    {"Author", "author", Shape::single},
    {"Author-email", "author_email", Shape::single},
    {"License", "license", Shape::single},
    {"Supported-Platform", "supported_platform", Shape::multiple},
    {"Download-URL", "download_url", Shape::single},
    {"Classifier", "classifiers", Shape::multiple},
    {"Requires", "requires", Shape::multiple},
    {"Provides", "provides", Shape::multiple},
    {"Obsoletes", "obsoletes", Shape::multiple},
    {"Maintainer", "maintainer", Shape::single},
    {"Maintainer-email", "maintainer_email", Shape::single},
    {"Requires-Dist", "requires_dist", Shape::multiple},
    {"Provides-Dist", "provides_dist", Shape::multiple},
    {"Obsoletes-Dist", "obsoletes_dist", Shape::multiple},
    {"Requires-Python", "requires_python", Shape::single},
    {"Requires-External", "requires_external", Shape::multiple},
    {"Project-URL", "project_urls", Shape::project_url},
    {"Description-Content-Type", "description_content_type", Shape::single},
    {"Provides-Extra", "provides_extra", Shape::multiple},
    {"Dynamic", "dynamic", Shape::multiple},
    {"License-Expression", "license_expression", Shape::single},
    {"License-File", "license_file", Shape::multiple},
}};

const FieldMapping* mapping_of(std::string_view header) {
  for (const auto& mapping : field_mappings) {
    if (equals_ignoring_case(mapping.header, header)) return &mapping;
  }
  return nullptr;
}

using text::trim;

// packaging splits Keywords on commas; twine joins them back with ", ".
std::string joined_keywords(std::string_view keywords) {
  std::string joined;
  while (true) {
    const auto comma = keywords.find(',');
    if (!joined.empty()) joined += ", ";
    joined += trim(keywords.substr(0, comma));
    if (comma == std::string_view::npos) return joined;
    keywords.remove_prefix(comma + 1);
  }
}

// packaging splits "label, url" at the first comma; twine sends f"{label}, {url}".
std::string project_url(std::string_view value) {
  const auto comma = value.find(',');
  if (comma == std::string_view::npos) return std::string{trim(value)};
  std::string result{trim(value.substr(0, comma))};
  result += ", ";
  result += trim(value.substr(comma + 1));
  return result;
}

// Metadata-Version below 2.4? (License-File is only valid from 2.4 on; twine drops it before.)
bool predates_license_files(std::string_view metadata_version) {
  int major = 0;
  int minor = 0;
  const char* end = metadata_version.data() + metadata_version.size();
  auto [after_major, error] = std::from_chars(metadata_version.data(), end, major);
  if (error != std::errc{}) return true;
  if (after_major != end && *after_major == '.') std::from_chars(after_major + 1, end, minor);
  return std::pair{major, minor} < std::pair{2, 4};
}

}  // namespace

std::optional<std::string> form_name_of(std::string_view metadata_header) {
  const FieldMapping* mapping = mapping_of(metadata_header);
  if (mapping == nullptr) return std::nullopt;
  return std::string{mapping->form_name};
}

std::vector<FormField> upload_form_fields(const Distribution& distribution,
                                          const FileDigests& digests,
                                          const std::optional<std::string>& comment) {
  auto fields = upload_form_fields(distribution, comment);
  // twine's order: the digests come before ":action" and "protocol_version".
  auto action = fields.end() - 2;
  for (const auto& digest : kDigestFields) {
    action = fields.insert(action, {std::string{digest.name}, digests.*digest.value}) + 1;
  }
  return fields;
}

std::vector<FormField> upload_form_fields(const Distribution& distribution,
                                          const std::optional<std::string>& comment) {
  const CoreMetadata& metadata = distribution.metadata;
  const bool drop_license_files = predates_license_files(distribution.metadata_version());
  std::vector<FormField> fields;
  std::vector<std::string_view> single_fields_sent;
  for (const auto& field : metadata.fields) {
    const FieldMapping* mapping = mapping_of(field.name);
    if (mapping == nullptr || mapping->form_name == "description") continue;
    if (drop_license_files && mapping->form_name == "license_file") continue;
    switch (mapping->shape) {
      case Shape::single:
        // A repeated single-valued header is malformed; the first one counts.
        if (std::find(single_fields_sent.begin(), single_fields_sent.end(), mapping->form_name) !=
            single_fields_sent.end()) {
          continue;
        }
        single_fields_sent.push_back(mapping->form_name);
        fields.push_back({std::string{mapping->form_name}, mapping->form_name == "name"
                                                               ? safe_project_name(field.value)
                                                               : field.value});
        break;
      case Shape::multiple:
        fields.push_back({std::string{mapping->form_name}, field.value});
        break;
      case Shape::keywords:
        fields.push_back({std::string{mapping->form_name}, joined_keywords(field.value)});
        break;
      case Shape::project_url:
        fields.push_back({std::string{mapping->form_name}, project_url(field.value)});
        break;
    }
  }
  if (auto description = metadata.description(); !description.empty()) {
    fields.push_back({"description", std::move(description)});
  }
  fields.push_back({"pyversion", distribution.pyversion});
  fields.push_back({"filetype", distribution.filetype});
  if (comment) fields.push_back({"comment", *comment});
  fields.push_back({":action", "file_upload"});
  fields.push_back({"protocol_version", "1"});
  return fields;
}

}  // namespace dp::pypi
