#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/errors.hpp"

// PEP 440 versions, parsed and normalized the way Python's `packaging` library (and so pip) does.
namespace dp::version {

class VersionError : public UserError {
 public:
  using UserError::UserError;
};

// A parsed version, already in normalized form: [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local].
struct Version {
  std::uint64_t epoch = 0;
  std::vector<std::uint64_t> release;
  std::optional<std::pair<std::string, std::uint64_t>> pre;  // "a", "b" or "rc"
  std::optional<std::uint64_t> post;
  std::optional<std::uint64_t> dev;
  std::vector<std::string> local;  // lower-cased segments; numeric ones without leading zeros
};

// Accepts every spelling PEP 440 allows (leading 'v', any case, alternative pre/post/dev spellings,
// optional separators, surrounding whitespace). Throws VersionError pointing at the offending part:
// "invalid version '1.0-beta!': unexpected '!' at position 8".
Version parse(std::string_view text);

// The canonical normalized form, e.g. "1!2.0rc1.post3.dev4+ubuntu.1".
std::string to_string(const Version& v);

// to_string(parse(text)).
std::string normalize(std::string_view text);

// -1, 0 or 1 under PEP 440 ordering: 1.0 == 1.0.0, 1.0.dev0 < 1.0a1 < 1.0 < 1.0.post1,
// and 1.0 < 1.0+local.
int compare(const Version& a, const Version& b);

bool is_local(const Version& v);

// The version as a Docker image tag, which may not hold '+' or '!': '+' becomes '-' and the epoch's
// '!' becomes '_' (1.0+g1a2b -> 1.0-g1a2b, 1!2.0 -> 1_2.0). Normalized versions never contain '-'
// or '_', so distinct versions keep distinct tags. Throws VersionError past Docker's 128
// characters.
std::string docker_tag(const Version& v);

}  // namespace dp::version
