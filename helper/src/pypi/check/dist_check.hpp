#pragma once

#include <filesystem>
#include <optional>

#include "pypi/check/check_findings.hpp"
#include "pypi/dist/distribution.hpp"

namespace dp::pypi {

// What `check` found in one distribution file.
struct CheckReport : CheckFindings {
  std::filesystem::path file;
  std::optional<Distribution> distribution;  // set when the metadata could be read

  // --strict: warnings fail too.
  bool passed(bool strict = false) const { return errors.empty() && (!strict || warnings.empty()); }
};

// Reads the file once (streaming) and validates it:
// - a readable .whl / .tar.gz / .zip archive (else one error naming the reason);
// - wheel: exactly one .dist-info folder with METADATA, WHEEL (Wheel-Version 1.x) and RECORD;
//   RECORD lists every file once with a matching sha256 and size, and nothing that is absent;
// - sdist: exactly one top-level folder, holding PKG-INFO;
// - the .dist-info or top-level folder names the metadata's name and version;
// - and the rules of check_distribution(const Distribution&).
// Never throws for a bad distribution.
CheckReport check_distribution(const std::filesystem::path& file);

// What an index needs of a file (upload refuses the file otherwise, as twine does): a
// Metadata-Version this helper can read (a newer minor one, such as 2.9, is a warning; a newer
// major one, such as 3.0, an error), Name and Version present, Version valid PEP 440, and a file
// name that names the same project (PEP 503) and version (PEP 440). A field newer than the
// file's Metadata-Version is a warning here (PyPI refuses the file, other indexes take it) and an
// error of check_distribution.
CheckReport check_uploadable(const Distribution& distribution);

// The rules that need only the metadata and the file name: those of check_uploadable, no
// repeated single-valued field, known fields, no field newer than the Metadata-Version,
// a file name that names the same project (PEP 503) and version (PEP 440), and the long
// description as twine check judges it (see check_description).
CheckReport check_distribution(const Distribution& distribution);

}  // namespace dp::pypi
