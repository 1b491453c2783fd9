#pragma once

#include <string>
#include <vector>

#include "docker/dockerfile.hpp"

namespace dp::docker {

// Something in a Dockerfile that puts a credential into the image.
struct LintFinding {
  int line = 0;
  std::string message;  // what is wrong and how to fix it, without the file and line
};

// Refused: COPY/ADD of a `.pypirc` (a source whose name ends in .pypirc, or a folder or wildcard
// that takes one of `context_files` with it), and ARG/ENV names containing password, token or
// secret (any case). `context_files` are the relative paths the build context sends.
std::vector<LintFinding> lint_dockerfile(const std::vector<Instruction>& instructions,
                                         const std::vector<std::string>& context_files);

// Credential-like variable names: password, token or secret anywhere in the name, any case.
bool is_credential_name(const std::string& name);

}  // namespace dp::docker
