#include "registry/push_repository.hpp"

#include <fmt/core.h>

#include <regex>

#include "core/errors.hpp"
#include "text/text.hpp"

namespace dp::registry {
namespace {

const std::regex& component_pattern() {
  // The distribution spec's path component.
  static const std::regex pattern{"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"};
  return pattern;
}

bool is_loopback(std::string_view registry) {
  static const std::regex loopback{R"((localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?)"};
  return text::fits_regex(registry) && std::regex_match(registry.begin(), registry.end(), loopback);
}

}  // namespace

PushRepository parse_push_repository(std::string_view value) {
  const auto usage = "expected <registry>/<repository>, such as 127.0.0.1:5000/team/app";
  const auto slash = value.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == value.size()) {
    throw UserError(fmt::format("PUSH '{}': {}", value, usage));
  }
  PushRepository target{std::string(value.substr(0, slash)), std::string(value.substr(slash + 1))};
  if (target.registry.find_first_of(".:") == std::string::npos && target.registry != "localhost") {
    throw UserError(fmt::format(
        "PUSH '{}': '{}' is not a registry host (no '.' or ':', not localhost), so docker would "
        "push to Docker Hub; {}",
        value, target.registry, usage));
  }
  if (target.repository.find_first_of(":@") != std::string::npos) {
    throw UserError(fmt::format(
        "PUSH '{}': the repository takes no tag or digest; the pipeline's version is the tag",
        value));
  }
  std::string_view rest = target.repository;
  while (true) {
    const auto end = rest.find('/');
    const auto component = std::string(rest.substr(0, end));
    if (!text::fits_regex(component) || !std::regex_match(component, component_pattern())) {
      throw UserError(fmt::format(
          "PUSH '{}': repository part '{}' is not lower-case letters and digits separated by "
          "'.', '_', '__' or '-'",
          value, component));
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return target;
}

std::string api_base_url(const PushRepository& target) {
  return fmt::format("{}://{}", is_loopback(target.registry) ? "http" : "https", target.registry);
}

bool is_valid_tag(std::string_view tag) {
  static const std::regex pattern{"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"};
  return text::fits_regex(tag) && std::regex_match(tag.begin(), tag.end(), pattern);
}

}  // namespace dp::registry
