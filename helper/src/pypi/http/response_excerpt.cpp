#include "pypi/http/response_excerpt.hpp"

#include <array>
#include <cctype>

#include "text/entities.hpp"
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
    } else if (const auto entity = text::decode_entity_at(body.substr(position))) {
      // A non-breaking space is a space like any other on the excerpt's one line.
      if (entity->text == "\xC2\xA0") {
        append(' ');
      } else {
        for (const char character : entity->text) append(character);
      }
      position += entity->length;
    } else {
      append(c);
      ++position;
    }
  }
  if (text.size() > limit) return text.substr(0, limit) + "...";
  return text;
}

}  // namespace dp::pypi
