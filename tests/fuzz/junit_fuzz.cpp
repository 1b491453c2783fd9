// Fuzz target over JUnit XML reports (pytest, unittest-xml-reporting, nose2, ...) as the test
// stage summarizes them. parse_junit throws only JunitError; a summary counts no test twice and
// formats on one line per failure.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "reports/junit_summary.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using dp::fuzz::check;
  const auto xml = dp::fuzz::as_text(data, size);
  std::optional<dp::docker::JunitSummary> summary;
  if (!dp::fuzz::accepts([&] { summary = dp::docker::parse_junit(xml); }) || !summary) return 0;
  check(summary->passed >= 0 && summary->failed >= 0 && summary->skipped >= 0,
        "a negative count of tests");
  // A report without <testcase> elements gives only its root's counts, and no names.
  check(summary->failed_names.size() <= static_cast<std::size_t>(summary->failed),
        "more failed names than failures");
  dp::docker::format_junit_summary(*summary);
  dp::docker::format_junit_summary(*summary, 0);
  auto twice = *summary;
  twice += *summary;
  return 0;
}
