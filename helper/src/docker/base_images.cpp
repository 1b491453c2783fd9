#include "docker/base_images.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "text/text.hpp"

namespace dp::docker {
namespace {

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string lookup(const std::map<std::string, std::string>& variables, const std::string& name,
                   bool& set) {
  const auto found = variables.find(name);
  set = found != variables.end();
  return set ? found->second : std::string();
}

}  // namespace

std::string expand_variables(std::string_view text,
                             const std::map<std::string, std::string>& variables) {
  std::string result;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && text[i + 1] == '$') {
      result += '$';
      ++i;
      continue;
    }
    if (c != '$' || i + 1 == text.size()) {
      result += c;
      continue;
    }
    bool set = false;
    if (text[i + 1] == '{') {
      const auto close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        result += text.substr(i);
        break;
      }
      const auto inner = text.substr(i + 2, close - i - 2);
      auto name_end = std::size_t{0};
      while (name_end < inner.size() && is_name_char(inner[name_end])) ++name_end;
      const std::string name{inner.substr(0, name_end)};
      auto value = lookup(variables, name, set);
      auto modifier = inner.substr(name_end);
      const bool colon = !modifier.empty() && modifier.front() == ':';
      if (colon) modifier.remove_prefix(1);
      if (!modifier.empty()) {
        const auto word = expand_variables(modifier.substr(1), variables);
        const bool present = set && (!colon || !value.empty());
        if (modifier.front() == '-' && !present) value = word;
        if (modifier.front() == '+') value = present ? word : std::string();
      }
      result += value;
      i = close;
    } else if (is_name_char(text[i + 1])) {
      auto end = i + 1;
      while (end < text.size() && is_name_char(text[end])) ++end;
      result += lookup(variables, std::string(text.substr(i + 1, end - i - 1)), set);
      i = end - 1;
    } else {
      result += c;
    }
  }
  return result;
}

std::vector<BaseImage> base_images(
    const std::vector<Instruction>& instructions,
    const std::vector<std::pair<std::string, std::string>>& build_args) {
  std::map<std::string, std::string> given;
  for (const auto& [name, value] : build_args) given[name] = value;

  std::map<std::string, std::string> global;
  std::set<std::string> stages;  // lower case, as the builder compares them
  int stage_count = 0;
  std::vector<BaseImage> images;
  const auto add = [&](std::string reference, const Instruction& instruction) {
    const auto lower = text::lowercase(reference);
    if (reference.empty() || lower == "scratch" || stages.count(lower)) return;
    if (std::all_of(reference.begin(), reference.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
        reference.size() < 9 && std::stoi(reference) < stage_count) {
      return;
    }
    if (std::any_of(images.begin(), images.end(),
                    [&](const BaseImage& image) { return image.reference == reference; })) {
      return;
    }
    images.push_back({std::move(reference), instruction.line,
                      instruction.keyword + " " + instruction.arguments});
  };

  bool before_first_from = true;
  for (const auto& instruction : instructions) {
    if (instruction.keyword == "ARG" && before_first_from) {
      for (const auto& arg : parse_key_values(instruction.arguments, false)) {
        if (const auto value = given.find(arg.key); value != given.end()) {
          global[arg.key] = value->second;
        } else if (arg.has_value) {
          global[arg.key] = expand_variables(arg.value, global);
        }
      }
    } else if (instruction.keyword == "FROM") {
      before_first_from = false;
      auto words = split_words(instruction.arguments);
      take_flags(words);
      if (words.empty()) continue;
      add(expand_variables(words.front(), global), instruction);
      if (words.size() >= 3 && text::lowercase(words[1]) == "as") {
        stages.insert(text::lowercase(words[2]));
      }
      ++stage_count;
    } else if (instruction.keyword == "COPY") {
      auto words = split_words(instruction.arguments);
      for (const auto& [flag, value] : take_flags(words)) {
        if (flag == "from") add(expand_variables(value, global), instruction);
      }
    }
  }
  return images;
}

}  // namespace dp::docker
