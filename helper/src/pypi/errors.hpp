#pragma once

#include <stdexcept>

#include "core/errors.hpp"

namespace dp::pypi {

// A distribution file that cannot be read or does not hold what an index needs.
class DistributionError : public UserError {
 public:
  using UserError::UserError;
};

// Repository or credential settings that cannot be resolved. Messages never hold a secret.
class ConfigurationError : public UserError {
 public:
  using UserError::UserError;
};

// Talking to the index failed (transport error, refused upload, redirect).
class UploadError : public UserError {
 public:
  using UserError::UserError;
};

}  // namespace dp::pypi
