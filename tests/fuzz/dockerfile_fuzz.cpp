// Fuzz target over Dockerfiles as the helper reads them before a build: BuildKit's line rules
// (parser directives, escape characters, continuations, heredocs), the words, flags and
// key=value pairs of instructions, and the lint run over the result. Nothing throws but
// DockerfileError, and every instruction read starts on a line of the file.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "docker/dockerfile.hpp"
#include "docker/dockerfile_lint.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace dp::docker;
using dp::fuzz::accepts;
using dp::fuzz::check;

const std::vector<std::string> kContextFiles = {"setup.py", "pyproject.toml", ".pypirc",
                                                "src/demo/__init__.py", "requirements.txt"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto content = dp::fuzz::as_text(data, size);
  std::vector<Instruction> instructions;
  if (!accepts([&] { instructions = parse_dockerfile(content); })) return 0;
  const auto lines = static_cast<int>(std::count(content.begin(), content.end(), '\n')) + 1;
  for (const auto& instruction : instructions) {
    check(instruction.line >= 1 && instruction.line <= lines,
          "an instruction starts outside the file");
    auto words = split_words(instruction.arguments);
    take_flags(words);
    accepts([&] { parse_key_values(instruction.arguments, true); });
    accepts([&] { parse_key_values(instruction.arguments, false); });
  }
  declared_args(instructions);
  first_run_mount(instructions);
  accepts([&] { lint_dockerfile(instructions, kContextFiles); });
  return 0;
}
