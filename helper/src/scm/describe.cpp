#include "scm/describe.hpp"

#include <charconv>

#include "text/text.hpp"

namespace dp::scm {

std::optional<Description> parse_describe(std::string_view output) {
  output = text::trim(output);
  Description result;
  constexpr std::string_view kDirty = "-dirty";
  if (output.ends_with(kDirty)) {
    result.dirty = true;
    output.remove_suffix(kDirty.size());
  }

  const auto node_dash = output.rfind("-g");
  if (node_dash == std::string_view::npos) return std::nullopt;
  const auto node = output.substr(node_dash + 2);
  if (node.empty() || node.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return std::nullopt;
  }

  const auto rest = output.substr(0, node_dash);
  const auto distance_dash = rest.rfind('-');
  if (distance_dash == std::string_view::npos || distance_dash == 0) return std::nullopt;
  const auto distance = rest.substr(distance_dash + 1);
  const auto* end = distance.data() + distance.size();
  const auto [stop, error] = std::from_chars(distance.data(), end, result.distance);
  if (distance.empty() || error != std::errc{} || stop != end) return std::nullopt;

  result.tag = rest.substr(0, distance_dash);
  result.node = node;
  return result;
}

}  // namespace dp::scm
