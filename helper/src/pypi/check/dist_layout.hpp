#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pypi/check/check_findings.hpp"
#include "pypi/dist/dist_scan.hpp"

namespace dp::pypi {

// The top-level folder of an archive path ("a/b/c" -> "a"), or "" for a top-level file.
std::string_view top_level_folder(std::string_view path);

// A wheel holds exactly one top-level *.dist-info folder, with METADATA, WHEEL and RECORD, and
// its WHEEL declares Wheel-Version 1.x. Returns the .dist-info folder to read the metadata from
// (with several, the one the file name points at), or nothing when no usable one exists.
// The scan must keep <x>.dist-info/{METADATA,WHEEL,RECORD}.
std::optional<std::string> check_wheel_layout(const DistScan& scan, std::string_view file_name,
                                              CheckFindings& findings);

// An sdist holds exactly one top-level folder, with PKG-INFO directly in it, and nothing of what a
// pipeline adds to the build context (.docker-pipeline/). Returns that folder when it holds
// PKG-INFO. The scan must keep <top>/PKG-INFO.
std::optional<std::string> check_sdist_layout(const DistScan& scan, CheckFindings& findings);

}  // namespace dp::pypi
