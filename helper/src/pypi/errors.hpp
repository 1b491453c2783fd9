#pragma once

#include <stdexcept>

namespace dp::pypi {

// A distribution file that cannot be read or does not hold what an index needs.
class DistributionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Repository or credential settings that cannot be resolved. Messages never hold a secret.
class ConfigurationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Talking to the index failed (transport error, refused upload, redirect).
class UploadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace dp::pypi
