#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pypi/check/check_findings.hpp"
#include "pypi/dist/dist_scan.hpp"

namespace dp::pypi {

// One row of a wheel's RECORD: path,hash,size (PEP 376 / PEP 427; CSV, so quoted fields happen).
struct RecordRow {
  std::size_t line = 0;
  std::string path;
  std::string hash;  // "sha256=<urlsafe base64, no padding>", or empty
  std::string size;  // decimal, or empty
};

// Throws DistributionError for a row that is not CSV with three fields.
std::vector<RecordRow> parse_record(std::string_view text);

// Checks `record_path` (<name>-<version>.dist-info/RECORD) against a scan made with hash_files:
// every regular file of the archive, except RECORD and its signatures (RECORD.jws, RECORD.p7s),
// is listed once with a sha256 and size that match; nothing listed is missing.
CheckFindings check_wheel_record(const DistScan& scan, const std::string& record_path);

}  // namespace dp::pypi
