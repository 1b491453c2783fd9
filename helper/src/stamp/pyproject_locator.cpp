// toml++ finds the tables (whatever the TOML spelling: [project], dotted keys, inline tables) and
// where the value starts; the literal is then measured in the original bytes so that nothing else
// of the file is re-serialized.
#include <fmt/core.h>
#include <toml++/toml.h>

#include <optional>
#include <string>

#include "stamp/locators.hpp"
#include "stamp/stamp.hpp"

namespace dp::stamp {
namespace {

std::size_t utf8_sequence_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// toml++ positions are 1-based lines and code-point columns, counted after a byte order mark.
std::size_t byte_offset(std::string_view content, const toml::source_position& position) {
  std::size_t offset = content.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  for (toml::source_index line = 1; line < position.line && offset < content.size(); ++line) {
    const auto eol = content.find('\n', offset);
    offset = eol == std::string_view::npos ? content.size() : eol + 1;
  }
  for (toml::source_index column = 1; column < position.column && offset < content.size();
       ++column) {
    offset += utf8_sequence_length(static_cast<unsigned char>(content[offset]));
  }
  return offset;
}

// The text inside the quotes of the string literal that starts at `open`.
std::optional<ValueSpan> string_literal_at(std::string_view content, std::size_t open) {
  if (open >= content.size()) return std::nullopt;
  const char quote = content[open];
  if (quote != '"' && quote != '\'') return std::nullopt;
  const bool escapes = quote == '"';
  const std::string delimiter(content.substr(open, 3) == std::string(3, quote) ? 3 : 1, quote);
  auto pos = open + delimiter.size();
  const auto begin = pos;
  while (pos < content.size() && content.substr(pos, delimiter.size()) != delimiter) {
    pos += escapes && content[pos] == '\\' ? 2 : 1;
  }
  if (pos >= content.size()) return std::nullopt;
  return ValueSpan{begin, pos};
}

std::string where(const std::filesystem::path& path, const toml::node& node) {
  return fmt::format("{}:{}", path.string(), node.source().begin.line);
}

std::optional<ValueSpan> version_span(const std::filesystem::path& path, std::string_view content,
                                      const toml::node_view<const toml::node>& version,
                                      std::string_view table) {
  const auto* node = version.node();
  if (node == nullptr) return std::nullopt;
  if (!node->is_string()) {
    throw StampError(fmt::format("{}: [{}] version is not a string", where(path, *node), table));
  }
  const auto span = string_literal_at(content, byte_offset(content, node->source().begin));
  if (!span) {
    throw StampError(
        fmt::format("{}: cannot find the text of [{}] version", where(path, *node), table));
  }
  return span;
}

bool declares_dynamic_version(const toml::table& document) {
  const auto* dynamic = document["project"]["dynamic"].as_array();
  if (dynamic == nullptr) return false;
  for (const auto& entry : *dynamic) {
    if (entry.value<std::string>() == "version") return true;
  }
  return false;
}

// Where the build backend reads a dynamic version from, when the file says.
std::string dynamic_version_source(const toml::table& document) {
  const auto setuptools = document["tool"]["setuptools"]["dynamic"]["version"];
  if (const auto attr = setuptools["attr"].value<std::string>()) {
    return fmt::format(" (setuptools reads it from attr '{}')", *attr);
  }
  if (const auto file = setuptools["file"].value<std::string>()) {
    return fmt::format(" (setuptools reads it from '{}')", *file);
  }
  if (const auto hatch = document["tool"]["hatch"]["version"]["path"].value<std::string>()) {
    return fmt::format(" (hatch reads it from '{}')", *hatch);
  }
  return " (the package's __init__.py or _version.py)";
}

// The file as TOML; a StampError naming the file, line and column when it is not.
toml::table parsed_toml(const std::filesystem::path& path, std::string_view content) {
  try {
    return toml::parse(content, path.string());
  } catch (const toml::parse_error& e) {
    throw StampError(fmt::format("{}:{}:{}: not valid TOML: {}", path.string(),
                                 e.source().begin.line, e.source().begin.column, e.description()));
  }
}

}  // namespace

std::vector<ValueSpan> locate_pyproject_version(const std::filesystem::path& path,
                                                std::string_view content) {
  const toml::table document = parsed_toml(path, content);

  std::vector<ValueSpan> spans;
  if (auto span = version_span(path, content, document["project"]["version"], "project")) {
    spans.push_back(*span);
  }
  if (auto span =
          version_span(path, content, document["tool"]["poetry"]["version"], "tool.poetry")) {
    spans.push_back(*span);
  }
  if (!spans.empty()) return spans;

  if (declares_dynamic_version(document)) {
    throw StampError(fmt::format(
        "{}: [project] declares the version dynamic and has none to stamp; stamp the file it is "
        "read from instead{}",
        path.string(), dynamic_version_source(document)));
  }
  throw StampError(fmt::format(
      "{}: no version field to stamp (expected version = \"...\" in [project] or [tool.poetry])",
      path.string()));
}

std::vector<ValueSpan> locate_cargo_version(const std::filesystem::path& path,
                                            std::string_view content) {
  const toml::table document = parsed_toml(path, content);
  const auto version = document["package"]["version"];
  if (version["workspace"].value_or(false)) {
    throw StampError(fmt::format(
        "{}: [package] takes its version from the workspace (version.workspace = true); stamp "
        "[workspace.package] version in the workspace's Cargo.toml with --pattern",
        where(path, *version.node())));
  }
  if (auto span = version_span(path, content, version, "package")) return {*span};
  throw StampError(fmt::format(
      "{}: no version field to stamp (expected version = \"...\" in [package])", path.string()));
}

}  // namespace dp::stamp
