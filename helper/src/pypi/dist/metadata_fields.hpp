#pragma once

#include <string_view>

#include "version/format_version.hpp"

namespace dp::pypi {

// The newest Metadata-Version this helper knows (core metadata specification).
inline constexpr version::FormatVersion newest_metadata_version{2, 5};

// How a header's values reach the upload form.
enum class FieldShape {
  single,      // one value
  multiple,    // repeated header, one form value each
  keywords,    // one value, split on commas (twine sends them joined by ", ")
  project_url  // repeated "label, url"
};

// One field of the core metadata specification.
struct MetadataFieldSpec {
  std::string_view header;       // as the specification spells it
  version::FormatVersion added;  // the Metadata-Version that introduced it
  std::string_view form_name;    // its name in the legacy upload form; "" when twine sends none
  FieldShape shape;
};

// The field a header names (case-insensitive), or nullptr for one the specification does not
// define (up to newest_metadata_version).
const MetadataFieldSpec* metadata_field(std::string_view header);

// Is this a Metadata-Version the specification has published (1.0, 1.1, 1.2, 2.1 to 2.5)?
bool is_published_metadata_version(std::string_view version);

}  // namespace dp::pypi
