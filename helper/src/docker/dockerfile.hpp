#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"

namespace dp::docker {

class DockerfileError : public UserError {
 public:
  using UserError::UserError;
};

// One instruction of a Dockerfile, its continuation lines joined, comments inside it dropped.
struct Instruction {
  std::string keyword;    // upper case: FROM, ARG, ENV, COPY, ...
  std::string arguments;  // the rest, continuations joined with a space
  int line = 0;           // 1-based line the instruction starts on
};

// The instructions of a Dockerfile as BuildKit's parser reads them: parser directives
// (`# escape=`, `# syntax=`) at the top, `\` (or the escape character) continuing a line,
// comment and empty lines inside a continuation skipped, heredoc bodies (`RUN <<EOF`) skipped.
std::vector<Instruction> parse_dockerfile(std::string_view content);

// The words of an instruction's arguments: split at whitespace outside quotes, quotes and the
// escape character removed as the shell form does, or the elements of a JSON array
// (`["a", "b"]`).
std::vector<std::string> split_words(std::string_view arguments);

// `NAME=VALUE` pairs of ENV/ARG/LABEL, also the one-pair `ENV NAME value` form; for ARG a word
// without '=' is a name without a default (value empty, has_value false).
struct KeyValue {
  std::string key;
  std::string value;
  bool has_value = false;
};
std::vector<KeyValue> parse_key_values(std::string_view arguments, bool legacy_form_allowed);

// The names every ARG instruction declares, in any stage.
std::set<std::string> declared_args(const std::vector<Instruction>& instructions);

// The first RUN instruction with a --mount flag (a cache, bind, secret or ssh mount), which the
// classic builder cannot run; nothing when there is none.
std::optional<Instruction> first_run_mount(const std::vector<Instruction>& instructions);

// Flags (`--from=x`, `--chown=a:b`) at the start of a word list, removed from `words` and
// returned as name -> value.
std::vector<std::pair<std::string, std::string>> take_flags(std::vector<std::string>& words);

// Reads a Dockerfile; throws DockerfileError naming it when it cannot be read.
std::string read_dockerfile(const std::filesystem::path& file);

}  // namespace dp::docker
