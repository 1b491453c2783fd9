// Fuzz target over .dockerignore patterns (Go's filepath.Match with Docker's "**", "!" exceptions
// and cleaning) and their matching of context paths: some fixed paths, and every line of the file
// read as a path too. Nothing throws but a UserError saying which pattern is wrong, and no path
// takes long to match.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "docker/dockerignore.hpp"
#include "fuzz_support.hpp"

namespace {

constexpr std::array<std::string_view, 8> kPaths = {
    "Dockerfile", ".pypirc",   "src/demo/__init__.py", "dist/demo-1.0.tar.gz",
    ".git/HEAD",  "a/b/c/d/e", "tests/data/[x].txt",   "deep/deep/deep/deep/deep/deep/file.py"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto content = dp::fuzz::as_text(data, size);
  dp::docker::DockerIgnore ignore;
  if (!dp::fuzz::accepts([&] { ignore = dp::docker::DockerIgnore(content); })) return 0;
  ignore.has_exceptions();
  for (const auto path : kPaths) ignore.excludes(path);
  std::size_t start = 0;
  while (start < content.size()) {
    auto end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    auto line = content.substr(start, end - start);
    if (line.starts_with('!')) line.remove_prefix(1);
    ignore.excludes(line);
    start = end + 1;
  }
  return 0;
}
