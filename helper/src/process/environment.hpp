#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace dp::process {

// Reads an environment variable; injected so resolution can be tested without setenv().
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (getenv).
EnvironmentLookup process_environment();

}  // namespace dp::process
