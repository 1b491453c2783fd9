#pragma once

#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace dp::docker {

// The rules of a .dockerignore file: patterns relative to the context root, `*`, `?`, `**`,
// character classes, and `!` exceptions, where the last matching line wins. A pattern that
// matches a directory excludes everything below it.
class DockerIgnore {
 public:
  DockerIgnore() = default;
  // Throws ContextError naming the line of a pattern that is not valid ("[z-a]").
  explicit DockerIgnore(std::string_view file_content);

  // `path` is relative to the context root, with '/' separators and no leading "./".
  bool excludes(std::string_view path) const;

  // With `!` lines, something below an excluded folder may be sent again.
  bool has_exceptions() const;

 private:
  struct Rule {
    std::regex pattern;
    bool exception;
  };
  std::vector<Rule> rules_;
};

}  // namespace dp::docker
