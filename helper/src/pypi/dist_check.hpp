#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pypi/distribution.hpp"

namespace dp::pypi {

// What `check` found in one distribution file. Errors make an upload pointless or refused;
// warnings do not.
struct CheckReport {
  std::filesystem::path file;
  std::optional<Distribution> distribution;  // set when the archive and its metadata were read
  std::vector<std::string> errors;
  std::vector<std::string> warnings;

  bool passed() const { return errors.empty(); }
};

// Reads the file and validates it: a readable archive with metadata, Metadata-Version, Name and
// Version present, no repeated single-valued field, and a file name that matches the name and
// version per the wheel / sdist naming rules. Never throws for a bad distribution.
CheckReport check_distribution(const std::filesystem::path& file);

// The validation alone, for an already inspected distribution.
CheckReport check_distribution(const Distribution& distribution);

}  // namespace dp::pypi
