// Fuzz target over a wheel's RECORD (CSV: path,hash,size; quoted fields happen) and its check
// against the files of the wheel. The wheel's files are made from the rows themselves, every other
// one with the size and hash it claims, so the check compares both ways. parse_record throws only
// DistributionError; the check never throws.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pypi/check/wheel_record.hpp"
#include "pypi/dist/dist_scan.hpp"

namespace {

using namespace dp::pypi;
using dp::fuzz::accepts;

constexpr std::string_view kRecordPath = "demo-1.0.dist-info/RECORD";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = dp::fuzz::as_text(data, size);
  std::vector<RecordRow> rows;
  accepts([&] { rows = parse_record(input); });

  DistScan scan;
  scan.kept.emplace(std::string{kRecordPath}, std::string{input});
  scan.entries.push_back({std::string{kRecordPath}, true, input.size(), ""});
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ScannedEntry entry{rows[i].path, true, 0, ""};
    if (i % 2 == 0) {
      entry.sha256 = rows[i].hash.starts_with("sha256=") ? rows[i].hash.substr(7) : rows[i].hash;
      std::from_chars(rows[i].size.data(), rows[i].size.data() + rows[i].size.size(), entry.size);
    }
    scan.entries.push_back(entry);
  }
  check_wheel_record(scan, std::string{kRecordPath});
  return 0;
}
