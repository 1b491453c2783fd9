#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// The helper's one decoder of XML/HTML character references, for JUnit reports, index pages and
// the error pages of index servers.
namespace dp::text {

struct DecodedEntity {
  std::string text;    // the character, as UTF-8
  std::size_t length;  // of the reference, '&' and ';' included
};

// The reference at the start of `text`: a named one (amp lt gt quot apos nbsp) or a numeric one
// (&#NN; or &#xHH;, a Unicode scalar value). Nothing when `text` does not start with one of
// these: a tolerant reader leaves the rest as written.
std::optional<DecodedEntity> decode_entity_at(std::string_view text);

// `text` with every reference decode_entity_at knows decoded, and everything else as written.
std::string decode_entities(std::string_view text);

}  // namespace dp::text
