#include "pypi/http/response_excerpt.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <utility>

#include "text/text.hpp"

namespace dp::pypi {
namespace {

constexpr std::array<std::string_view, 3> hidden_elements = {"head", "style", "script"};

using text::lowercase;

// "<style type=...>" -> "style"; "</p>" -> "/p"; "<!DOCTYPE ...>" -> "!doctype".
std::string tag_name(std::string_view tag) {
  const auto end = tag.find_first_of(" \t\r\n/>", tag.front() == '/' ? 1 : 0);
  return lowercase(tag.substr(0, end));
}

// Decodes the entity at the start of `text` ("&amp;..."): the character and the length used.
std::pair<char, std::size_t> decode_entity(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, char>, 7> named = {{{"&amp;", '&'},
                                                                              {"&lt;", '<'},
                                                                              {"&gt;", '>'},
                                                                              {"&quot;", '"'},
                                                                              {"&apos;", '\''},
                                                                              {"&nbsp;", ' '},
                                                                              {"&#x27;", '\''}}};
  for (const auto& [entity, character] : named) {
    if (text.starts_with(entity)) return {character, entity.size()};
  }
  if (text.starts_with("&#")) {
    int code = 0;
    const auto [end, error] = std::from_chars(text.data() + 2, text.data() + text.size(), code);
    if (error == std::errc{} && end < text.data() + text.size() && *end == ';' && code > 31 &&
        code < 127) {
      return {static_cast<char>(code), static_cast<std::size_t>(end - text.data()) + 1};
    }
  }
  return {'&', 1};
}

}  // namespace

std::string response_excerpt(std::string_view body, std::size_t limit) {
  std::string text;
  bool pending_space = false;
  const auto append = [&](char c) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = true;
      return;
    }
    if (pending_space && !text.empty()) text += ' ';
    pending_space = false;
    text += c;
  };
  std::size_t position = 0;
  while (position < body.size() && text.size() <= limit) {
    const char c = body[position];
    if (c == '<') {
      const auto close = body.find('>', position);
      if (close == std::string_view::npos) break;
      const std::string name = tag_name(body.substr(position + 1, close - position - 1));
      position = close + 1;
      pending_space = true;
      for (const auto hidden : hidden_elements) {
        if (name == hidden) {
          const auto end = lowercase(body.substr(position)).find("</" + name);
          position = end == std::string::npos ? body.size() : body.find('>', position + end);
          position = position == std::string_view::npos ? body.size() : position + 1;
        }
      }
    } else if (c == '&') {
      const auto [character, length] = decode_entity(body.substr(position));
      append(character);
      position += length;
    } else {
      append(c);
      ++position;
    }
  }
  if (text.size() > limit) return text.substr(0, limit) + "...";
  return text;
}

}  // namespace dp::pypi
