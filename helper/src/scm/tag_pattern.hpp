#pragma once

#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "version/pep440.hpp"

namespace dp::scm {

// setuptools-scm's DEFAULT_TAG_REGEX without its group name: an optional "word-" prefix, then the
// version (a leading v allowed), then an optional +local part.
inline constexpr std::string_view kDefaultTagRegex =
    R"(^(?:[\w-]+-)?([vV]?\d+(?:\.\d+){0,2}[^\+]*)(?:\+.*)?$)";

// Which tags hold versions, and which part of them. Python's named groups (?P<name>...) are
// accepted so a setuptools-scm tag_regex can be used as it is.
class TagPattern {
 public:
  // Empty: kDefaultTagRegex. Throws ScmError naming the regex when it does not compile.
  explicit TagPattern(std::string_view regex);

  // The tag's version, or nullopt when the tag does not match or its version part is not PEP 440.
  // Like setuptools-scm, the text the match has after the version part (a +local part) is kept
  // when the two make a valid version together.
  std::optional<version::Version> version_of(std::string_view tag) const;

  const std::string& source() const { return source_; }
  bool is_default() const { return source_ == kDefaultTagRegex; }

 private:
  std::string source_;
  std::regex regex_;
  std::size_t group_ = 0;  // the sub-match holding the version; 0 is the whole match
};

}  // namespace dp::scm
