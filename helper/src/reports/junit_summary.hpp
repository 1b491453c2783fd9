#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"

// The one-line summary of the JUnit XML reports a test run left among its artifacts.
namespace dp::docker {

class JunitError : public UserError {
 public:
  using UserError::UserError;
};

// A failed (or erroring) test, and where its report says it failed.
struct JunitFailure {
  std::string name;  // classname.name
  // The testcase's `file` and `line` attributes, else the last "<path>.py:<line>:" line of the
  // failure's text (pytest's traceback ends with one); empty and 0 when neither says.
  std::string file;
  int line = 0;
  std::string message;  // the failure's `message`, else the first line of its text
};

struct JunitSummary {
  int passed = 0;
  int failed = 0;  // <failure> or <error>
  int skipped = 0;
  std::vector<std::string> failed_names;  // classname.name, in report order
  std::vector<JunitFailure> failures;     // the same tests, with where and why

  JunitSummary& operator+=(const JunitSummary& other);
};

// Reads a JUnit XML report (pytest --junitxml, unittest-xml-reporting, Ant, Maven Surefire):
// every <testcase> counts once. Returns nothing when the document's root is neither
// <testsuite> nor <testsuites>; throws JunitError saying where when it is not well-formed.
std::optional<JunitSummary> parse_junit(std::string_view xml);

struct JunitReports {
  JunitSummary summary;
  std::vector<std::string> files;     // the reports summarized, relative to the folder
  std::vector<std::string> warnings;  // reports that could not be read
};

// Every *.xml below `folder` whose root is a JUnit one, summed.
JunitReports summarize_junit_reports(const std::filesystem::path& folder);

// "3 passed, 1 failed, 0 skipped; failed: tests.test_a.test_x", naming at most `max_names`.
std::string format_junit_summary(const JunitSummary& summary, std::size_t max_names = 10);

}  // namespace dp::docker
