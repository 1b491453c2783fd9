#include "pypi/upload/upload_form.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "pypi/dist/dist_names.hpp"
#include "pypi/dist/metadata_fields.hpp"
#include "pypi/errors.hpp"
#include "text/text.hpp"
#include "version/format_version.hpp"

namespace dp::pypi {
namespace {

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
  const auto version = version::parse_format_version(metadata_version);
  return !version || *version < version::FormatVersion{2, 4};
}

}  // namespace

std::optional<std::string> form_name_of(std::string_view metadata_header) {
  const MetadataFieldSpec* field = metadata_field(metadata_header);
  if (field == nullptr || field->form_name.empty()) return std::nullopt;
  return std::string{field->form_name};
}

std::vector<FormField> upload_form_fields(const Distribution& distribution,
                                          const digest::FileDigests& digests,
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
    const MetadataFieldSpec* mapping = metadata_field(field.name);
    if (mapping == nullptr || mapping->form_name.empty() || mapping->form_name == "description")
      continue;
    if (drop_license_files && mapping->form_name == "license_file") continue;
    switch (mapping->shape) {
      case FieldShape::single:
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
      case FieldShape::multiple:
        fields.push_back({std::string{mapping->form_name}, field.value});
        break;
      case FieldShape::keywords:
        fields.push_back({std::string{mapping->form_name}, joined_keywords(field.value)});
        break;
      case FieldShape::project_url:
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

std::string attestations_field_value(std::string_view attestation_json) {
  // ordered_json keeps the members in the file's order.
  auto attestation = nlohmann::ordered_json::parse(attestation_json, nullptr, false);
  if (attestation.is_discarded()) throw DistributionError("an attestation that is not JSON");
  return nlohmann::ordered_json::array({std::move(attestation)}).dump();
}

void add_attestations_field(std::vector<FormField>& fields, std::string value) {
  const auto before = std::find_if(fields.begin(), fields.end(), [](const FormField& field) {
    return field.name == kDigestFields[0].name || field.name == ":action";
  });
  fields.insert(before, {"attestations", std::move(value)});
}

}  // namespace dp::pypi
