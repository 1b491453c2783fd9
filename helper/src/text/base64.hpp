#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dp::text {

// Decodes standard base64 (RFC 4648 section 4, '+' and '/', '=' padding optional), as docker's
// config.json holds "user:password". Nothing for any other character or a length no encoding has.
std::optional<std::string> base64_decode(std::string_view encoded);

}  // namespace dp::text
