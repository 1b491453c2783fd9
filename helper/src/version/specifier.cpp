#include "version/specifier.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace dp::version {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// The version without its local part, which only "==" and "!=" with a local version look at.
Version public_of(Version v) {
  v.local.clear();
  return v;
}

Version base_of(const Version& v) {
  Version base;
  base.epoch = v.epoch;
  base.release = v.release;
  return base;
}

bool is_prerelease(const Version& v) {
  return v.pre.has_value() || v.dev.has_value();
}

// "==1.2.*": the candidate's release, padded with zeros, starts with 1.2 (its pre, post and dev
// parts do not matter, so 1.2rc1 matches).
bool prefix_matches(const Version& candidate, const Version& prefix) {
  if (candidate.epoch != prefix.epoch) return false;
  for (std::size_t i = 0; i < prefix.release.size(); ++i) {
    const auto part = i < candidate.release.size() ? candidate.release[i] : 0;
    if (part != prefix.release[i]) return false;
  }
  return true;
}

bool equal(const Specifier& s, const Version& v) {
  if (s.wildcard) return prefix_matches(v, s.version);
  // A specifier without a local version ignores the candidate's.
  return compare(s.version.local.empty() ? public_of(v) : v, s.version) == 0;
}

bool matches(const Specifier& s, const Version& v) {
  if (s.op == "===") {
    auto lowered = [](std::string text) {
      std::transform(text.begin(), text.end(), text.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      return text;
    };
    return lowered(to_string(v)) == lowered(s.text);
  }
  if (s.op == "==") return equal(s, v);
  if (s.op == "!=") return !equal(s, v);
  if (s.op == "<=") return compare(public_of(v), s.version) <= 0;
  if (s.op == ">=") return compare(public_of(v), s.version) >= 0;
  if (s.op == "<") {
    // <3.9 excludes 3.9's own pre-releases unless it names one.
    if (compare(v, s.version) >= 0) return false;
    return is_prerelease(s.version) || !is_prerelease(v) ||
           compare(base_of(v), base_of(s.version)) != 0;
  }
  if (s.op == ">") {
    // >3.9 excludes 3.9's post-releases (unless it names one) and its local versions.
    if (compare(v, s.version) <= 0) return false;
    const bool same_base = compare(base_of(v), base_of(s.version)) == 0;
    if (same_base && v.post && !s.version.post) return false;
    return !(same_base && !v.local.empty());
  }
  // "~=": at least this version, and the same release but for its last part (~=3.9.1 is
  // >=3.9.1, ==3.9.*).
  Version prefix = base_of(s.version);
  prefix.release.pop_back();
  return compare(public_of(v), s.version) >= 0 && prefix_matches(v, prefix);
}

Specifier parse_one(std::string_view text) {
  static constexpr std::array<std::string_view, 8> kOperators = {
      "===", "~=", "==", "!=", "<=", ">=", "<", ">"};
  const auto fail = [&](std::string_view why) {
    throw VersionError(fmt::format("invalid specifier '{}': {}", text, why));
  };
  Specifier s;
  for (const auto op : kOperators) {
    if (text.starts_with(op)) {
      s.op = op;
      break;
    }
  }
  if (s.op.empty()) fail("it starts with none of ~= == != <= >= < > ===");
  auto version_text = trim(text.substr(s.op.size()));
  if (version_text.empty()) fail("no version follows the operator");
  s.text = version_text;
  if (s.op == "===") return s;
  if (version_text.ends_with(".*")) {
    if (s.op != "==" && s.op != "!=") fail("a wildcard only follows '==' or '!='");
    s.wildcard = true;
    version_text.remove_suffix(2);
  }
  try {
    s.version = parse(version_text);
  } catch (const VersionError& e) {
    fail(e.what());
  }
  if (s.wildcard &&
      (s.version.pre || s.version.post || s.version.dev || !s.version.local.empty())) {
    fail("a wildcard follows a release (3.9.*) only");
  }
  if (!s.version.local.empty() && s.op != "==" && s.op != "!=") {
    fail("only '==' and '!=' take a local version");
  }
  if (s.op == "~=" && s.version.release.size() < 2)
    fail("'~=' needs a version of two parts or more");
  return s;
}

}  // namespace

SpecifierSet parse_specifiers(std::string_view text) {
  SpecifierSet set;
  if (trim(text).empty()) return set;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto part =
        trim(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
    if (part.empty()) {
      throw VersionError(fmt::format("invalid specifier set '{}': an empty specifier", text));
    }
    set.specifiers.push_back(parse_one(part));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return set;
}

bool contains(const SpecifierSet& set, const Version& version) {
  return std::all_of(set.specifiers.begin(), set.specifiers.end(),
                     [&](const Specifier& s) { return matches(s, version); });
}

std::string to_string(const SpecifierSet& set) {
  std::vector<std::string> parts;
  for (const auto& s : set.specifiers) {
    if (s.op == "===") {
      parts.push_back(s.op + s.text);
    } else {
      parts.push_back(s.op + to_string(s.version) + (s.wildcard ? ".*" : ""));
    }
  }
  return fmt::format("{}", fmt::join(parts, ","));
}

}  // namespace dp::version
