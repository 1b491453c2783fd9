#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "version/pep440.hpp"

// PEP 440 version specifiers (">=3.9, !=3.10.*"), matched the way Python's `packaging` library,
// and so pip, matches a `Requires-Python` against an interpreter's version.
namespace dp::version {

struct Specifier {
  std::string op;         // "~=", "==", "!=", "<=", ">=", "<", ">" or "==="
  std::string text;       // the version as written (for "===" and messages)
  Version version;        // parsed; unused for "==="
  bool wildcard = false;  // "==3.9.*" or "!=3.9.*"
};

// A comma-separated list of specifiers; a version matches when it matches every one. Empty: any.
struct SpecifierSet {
  std::vector<Specifier> specifiers;
};

// Throws VersionError naming the specifier and what is wrong with it:
// "invalid specifier '>=3.*': a wildcard only follows '==' or '!='".
SpecifierSet parse_specifiers(std::string_view text);

// Pre-releases match like any other version (pip's rule for Requires-Python).
bool contains(const SpecifierSet& set, const Version& version);

// The set as written, normalized: ">=3.9,!=3.10.*".
std::string to_string(const SpecifierSet& set);

}  // namespace dp::version
