#pragma once

#include <string>
#include <vector>

namespace dp::pypi {

// What one validation rule of `check` found. Errors make an upload refused or the package
// broken; warnings do not (unless --strict).
struct CheckFindings {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;

  void append(const CheckFindings& other) {
    errors.insert(errors.end(), other.errors.begin(), other.errors.end());
    warnings.insert(warnings.end(), other.warnings.begin(), other.warnings.end());
  }
};

}  // namespace dp::pypi
