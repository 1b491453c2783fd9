#include "text/entities.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace dp::text {
namespace {

// "&#x10FFFF;" and "&quot;" fit; longer runs before a ';' are not references.
constexpr std::size_t kMaxReferenceLength = 11;

std::string utf8(char32_t code) {
  std::string out;
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
  return out;
}

// "#233" or "#x2713" (between '&' and ';') as UTF-8; nothing unless a Unicode scalar value.
std::optional<std::string> numeric(std::string_view name) {
  if (name.size() < 2 || name[0] != '#') return std::nullopt;
  const bool hex = name[1] == 'x' || name[1] == 'X';
  const auto digits = name.substr(hex ? 2 : 1);
  std::uint32_t code = 0;
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
  if (digits.empty() || error != std::errc{} || end != digits.data() + digits.size() || code == 0 ||
      code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return std::nullopt;
  }
  return utf8(static_cast<char32_t>(code));
}

}  // namespace

std::optional<DecodedEntity> decode_entity_at(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> named = {{
      {"amp", "&"},
      {"lt", "<"},
      {"gt", ">"},
      {"quot", "\""},
      {"apos", "'"},
      {"nbsp", "\xC2\xA0"},  // U+00A0
  }};
  if (!text.starts_with('&')) return std::nullopt;
  const auto semicolon = text.substr(0, kMaxReferenceLength).find(';');
  if (semicolon == std::string_view::npos) return std::nullopt;
  const auto name = text.substr(1, semicolon - 1);
  for (const auto& [entity, character] : named) {
    if (name == entity) return DecodedEntity{std::string{character}, semicolon + 1};
  }
  if (auto character = numeric(name)) return DecodedEntity{std::move(*character), semicolon + 1};
  return std::nullopt;
}

std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    if (auto entity = decode_entity_at(text)) {
      out += entity->text;
      text.remove_prefix(entity->length);
    } else {
      out += text.front();
      text.remove_prefix(1);
    }
  }
  return out;
}

}  // namespace dp::text
