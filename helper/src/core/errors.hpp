#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

// The helper's one error vocabulary. Every exception it throws derives from Error; the command
// layer maps the kind to an exit status and prints the message as one line.
namespace dp {

// A message that reads on its own line ("<file>: <field> ...: <what is wrong>"). Callers that know
// more add it in front with add_context and rethrow with `throw;`, which keeps the type.
class Error : public std::runtime_error {
 public:
  explicit Error(std::string message)
      : std::runtime_error(std::string{}), message_(std::move(message)) {}

  const char* what() const noexcept override { return message_.c_str(); }

  // "<context>: <message>".
  Error& add_context(std::string_view context) {
    message_.insert(0, std::string{context} + ": ");
    return *this;
  }

 private:
  std::string message_;
};

// What the user can fix: a file, option, setting, credential or service the message names.
class UserError : public Error {
 public:
  using Error::Error;
};

// A fault no input explains: a broken invariant or a library that failed where it cannot.
class InternalError : public Error {
 public:
  using Error::Error;
};

}  // namespace dp
