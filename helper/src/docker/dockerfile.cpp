#include "docker/dockerfile.hpp"

#include <fmt/core.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>

#include "text/file.hpp"
#include "text/text.hpp"

namespace dp::docker {
namespace {

using text::trim;

std::string_view trim_left(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  return first == std::string_view::npos ? std::string_view{} : text.substr(first);
}

std::string_view trim_right(std::string_view text) {
  const auto last = text.find_last_not_of(" \t");
  return last == std::string_view::npos ? std::string_view{} : text.substr(0, last + 1);
}

bool is_comment_or_empty(std::string_view line) {
  const auto content = trim_left(line);
  return content.empty() || content.front() == '#';
}

// `# name=value` lines at the very top; returns the escape character they set.
char read_directives(const std::vector<std::string_view>& lines, std::size_t& next) {
  static const std::regex directive(R"(^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$)");
  char escape = '\\';
  for (; next < lines.size(); ++next) {
    std::smatch match;
    const std::string line{trim(lines[next])};
    if (!text::fits_regex(line) || !std::regex_match(line, match, directive)) break;
    if (text::lowercase(match[1].str()) == "escape") {
      const auto value = match[2].str();
      if (value != "\\" && value != "`") {
        throw DockerfileError(
            fmt::format("line {}: invalid escape directive '{}' (\\ or `)", next + 1, value));
      }
      escape = value[0];
    }
  }
  return escape;
}

// The heredoc delimiters (`<<EOF`, `<<-"EOF"`) an instruction opens, with whether leading tabs
// of the closing line are stripped.
std::vector<std::pair<std::string, bool>> heredocs(const std::string& arguments) {
  static const std::regex marker(R"(<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2)");
  std::vector<std::pair<std::string, bool>> found;
  for (std::sregex_iterator it(arguments.begin(), arguments.end(), marker), end; it != end; ++it) {
    found.emplace_back((*it)[3].str(), (*it)[1].length() > 0);
  }
  return found;
}

}  // namespace

std::vector<Instruction> parse_dockerfile(std::string_view content) {
  const auto lines = text::split_lines(content);
  std::size_t i = 0;
  const char escape = read_directives(lines, i);
  std::vector<Instruction> instructions;
  while (i < lines.size()) {
    if (is_comment_or_empty(lines[i])) {
      ++i;
      continue;
    }
    const int start = static_cast<int>(i) + 1;
    std::string joined;
    std::string_view line = trim_right(lines[i]);
    while (!line.empty() && line.back() == escape) {
      joined += line.substr(0, line.size() - 1);
      ++i;
      while (i < lines.size() && is_comment_or_empty(lines[i])) ++i;
      line = i < lines.size() ? trim_right(lines[i]) : std::string_view{};
    }
    joined += line;
    ++i;

    const auto body = trim_left(joined);
    const auto space = body.find_first_of(" \t");
    Instruction instruction;
    instruction.line = start;
    for (const char c : body.substr(0, space)) {
      instruction.keyword += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (space != std::string_view::npos) instruction.arguments = trim(body.substr(space));
    if (instruction.keyword == "RUN" || instruction.keyword == "COPY" ||
        instruction.keyword == "ADD") {
      for (const auto& [word, strip_tabs] : heredocs(instruction.arguments)) {
        for (; i < lines.size(); ++i) {
          std::string_view body_line = lines[i];
          if (strip_tabs)
            body_line.remove_prefix(std::min(body_line.find_first_not_of('\t'), body_line.size()));
          if (body_line == word) {
            ++i;
            break;
          }
        }
      }
    }
    instructions.push_back(std::move(instruction));
  }
  return instructions;
}

std::vector<std::string> split_words(std::string_view arguments) {
  const auto trimmed = trim(arguments);
  if (!trimmed.empty() && trimmed.front() == '[') {
    const auto json = nlohmann::json::parse(trimmed, nullptr, false);
    if (json.is_array() &&
        std::all_of(json.begin(), json.end(), [](const auto& item) { return item.is_string(); })) {
      return json.get<std::vector<std::string>>();
    }
  }
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < trimmed.size(); ++i) {
    const char c = trimmed[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        word += c;
      }
    } else if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < trimmed.size()) {
        word += trimmed[++i];
      } else {
        word += c;
      }
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      in_word = true;
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\' && i + 1 < trimmed.size()) {
        word += trimmed[++i];
      } else {
        word += c;
      }
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::vector<KeyValue> parse_key_values(std::string_view arguments, bool legacy_form_allowed) {
  auto words = split_words(arguments);
  std::vector<KeyValue> pairs;
  if (words.empty()) return pairs;
  if (legacy_form_allowed && words.front().find('=') == std::string::npos) {
    // `ENV NAME the value`: one variable, the rest of the line its value.
    const auto trimmed = trim(arguments);
    const auto space = trimmed.find_first_of(" \t");
    KeyValue pair{words.front(), "", true};
    if (space != std::string_view::npos) {
      const auto rest = split_words(trimmed.substr(space));
      for (std::size_t i = 0; i < rest.size(); ++i) pair.value += (i ? " " : "") + rest[i];
    }
    pairs.push_back(std::move(pair));
    return pairs;
  }
  for (auto& word : words) {
    const auto equals = word.find('=');
    if (equals == std::string::npos) {
      pairs.push_back({std::move(word), "", false});
    } else {
      pairs.push_back({word.substr(0, equals), word.substr(equals + 1), true});
    }
  }
  return pairs;
}

std::vector<std::pair<std::string, std::string>> take_flags(std::vector<std::string>& words) {
  std::vector<std::pair<std::string, std::string>> flags;
  std::size_t count = 0;
  for (; count < words.size() && words[count].starts_with("--"); ++count) {
    const auto& word = words[count];
    const auto equals = word.find('=');
    flags.emplace_back(word.substr(2, equals == std::string::npos ? std::string::npos : equals - 2),
                       equals == std::string::npos ? std::string() : word.substr(equals + 1));
  }
  words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(count));
  return flags;
}

std::string read_dockerfile(const std::filesystem::path& file) {
  auto content = text::read_file(file);
  if (!content) throw DockerfileError(fmt::format("cannot read the Dockerfile {}", file.string()));
  return std::move(*content);
}

std::set<std::string> declared_args(const std::vector<Instruction>& instructions) {
  std::set<std::string> names;
  for (const auto& instruction : instructions) {
    if (instruction.keyword != "ARG") continue;
    for (auto& arg : parse_key_values(instruction.arguments, false)) names.insert(arg.key);
  }
  return names;
}

std::optional<Instruction> first_run_mount(const std::vector<Instruction>& instructions) {
  for (const auto& instruction : instructions) {
    if (instruction.keyword != "RUN") continue;
    auto words = split_words(instruction.arguments);
    for (const auto& [name, value] : take_flags(words)) {
      if (name == "mount") return instruction;
    }
  }
  return std::nullopt;
}

}  // namespace dp::docker
