#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dp::docker {

// The rules of a .dockerignore file: patterns relative to the context root, `*`, `?`, `**`,
// character classes, and `!` exceptions, where the last matching line wins. A pattern that
// matches a directory excludes everything below it. Matching takes time in proportion to the
// pattern's length times the path's, whatever the pattern (no backtracking).
class DockerIgnore {
 public:
  DockerIgnore() = default;
  // Throws ContextError naming the line of a pattern that is not valid ("[z-a]").
  explicit DockerIgnore(std::string_view file_content);

  // `path` is relative to the context root, with '/' separators and no leading "./".
  bool excludes(std::string_view path) const;

  // With `!` lines, something below an excluded folder may be sent again.
  bool has_exceptions() const;

  // One element of a compiled pattern: a character, `?`, `*`, `**`, `**/` or a set.
  struct Token {
    enum class Kind { literal, one, star, any, dirs, set };
    explicit Token(Kind kind, char literal = 0) : kind(kind), literal(literal) {}
    Kind kind;
    char literal;
    bool negated = false;                       // a set's `!` or `^`
    std::vector<std::pair<char, char>> ranges;  // a set's characters, as ranges
  };

 private:
  struct Rule {
    std::vector<Token> pattern;
    bool exception;
  };
  std::vector<Rule> rules_;
};

}  // namespace dp::docker
