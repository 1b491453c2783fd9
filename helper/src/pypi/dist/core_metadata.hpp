#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dp::pypi {

// One header of a core metadata file (PKG-INFO / METADATA), as written.
struct MetadataField {
  std::string name;   // e.g. "Requires-Dist"; compare case-insensitively
  std::string value;  // continuation lines kept, joined with '\n'
};

// Python core metadata: RFC 822 style headers, then an optional body (the description).
struct CoreMetadata {
  std::vector<MetadataField> fields;  // in file order, repeated keys kept
  std::string body;                   // everything after the first blank line

  // First value of a header (case-insensitive name), if present.
  std::optional<std::string> first(std::string_view name) const;
  // Every value of a header, in file order.
  std::vector<std::string> all(std::string_view name) const;
  // The body when there is one, else the Description header, else "".
  std::string description() const;
};

CoreMetadata parse_core_metadata(std::string_view text);

bool equals_ignoring_case(std::string_view a, std::string_view b);

}  // namespace dp::pypi
