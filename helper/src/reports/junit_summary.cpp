#include "reports/junit_summary.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <optional>
#include <system_error>
#include <tuple>

#include "text/entities.hpp"
#include "text/file.hpp"
#include "text/text.hpp"

namespace dp::docker {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxReportBytes = 256u << 20;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct StartTag {
  std::string name;
  std::map<std::string, std::string> attributes;
  bool self_closing = false;
};

// Walks the document's markup; text content is skipped, which is all a summary needs.
class Scanner {
 public:
  explicit Scanner(std::string_view xml) : xml_(xml) {
    if (xml_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }

  [[noreturn]] void fail(const std::string& problem) const {
    const auto line = 1 + std::count(xml_.begin(), xml_.begin() + static_cast<long>(pos_), '\n');
    throw JunitError(fmt::format("line {}: {}", line, problem));
  }

  // Skips text up to the next '<' (text() is what it skipped); returns false at the end.
  // `outside_root`: text there must be whitespace.
  bool next_markup(bool outside_root) {
    const auto lt = xml_.find('<', pos_);
    const auto text = xml_.substr(pos_, lt == std::string_view::npos ? xml_.npos : lt - pos_);
    text_ = text;
    if (outside_root && !text::trim(text).empty()) fail("text outside the root element");
    if (lt == std::string_view::npos) {
      pos_ = xml_.size();
      return false;
    }
    pos_ = lt;
    return true;
  }

  bool at(std::string_view prefix) const { return xml_.substr(pos_, prefix.size()) == prefix; }
  std::string_view text() const { return text_; }

  // A CDATA section's content; the scanner moves past it.
  std::string_view cdata() {
    const auto start = pos_ + 9;  // "<![CDATA["
    skip_past("]]>", "CDATA section");
    return xml_.substr(start, pos_ - 3 - start);
  }

  void skip_past(std::string_view terminator, std::string_view what) {
    const auto end = xml_.find(terminator, pos_);
    if (end == std::string_view::npos) fail(fmt::format("unterminated {}", what));
    pos_ = end + terminator.size();
  }

  // <!DOCTYPE ...>, with an internal subset in brackets.
  void skip_doctype() {
    const auto bracket = xml_.find('[', pos_);
    const auto close = xml_.find('>', pos_);
    if (bracket != std::string_view::npos && bracket < close) {
      pos_ = bracket;
      skip_past("]", "DOCTYPE");
    }
    skip_past(">", "DOCTYPE");
  }

  std::string end_tag() {
    pos_ += 2;
    const auto close = xml_.find('>', pos_);
    if (close == std::string_view::npos) fail("unterminated end tag");
    std::string name(text::trim(xml_.substr(pos_, close - pos_)));
    pos_ = close + 1;
    return name;
  }

  StartTag start_tag() {
    ++pos_;
    StartTag tag;
    tag.name = name();
    if (tag.name.empty()) fail("a '<' that starts no element");
    while (true) {
      skip_space();
      if (pos_ >= xml_.size()) fail(fmt::format("unterminated <{}>", tag.name));
      if (at("/>")) {
        pos_ += 2;
        tag.self_closing = true;
        return tag;
      }
      if (xml_[pos_] == '>') {
        ++pos_;
        return tag;
      }
      auto attribute = name();
      if (attribute.empty()) fail(fmt::format("unexpected '{}' in <{}>", xml_[pos_], tag.name));
      skip_space();
      if (pos_ >= xml_.size() || xml_[pos_] != '=') {
        fail(fmt::format("attribute {} of <{}> has no value", attribute, tag.name));
      }
      ++pos_;
      skip_space();
      if (pos_ >= xml_.size() || (xml_[pos_] != '"' && xml_[pos_] != '\'')) {
        fail(fmt::format("attribute {} of <{}> is not quoted", attribute, tag.name));
      }
      const char quote = xml_[pos_++];
      const auto close = xml_.find(quote, pos_);
      if (close == std::string_view::npos)
        fail(fmt::format("unterminated attribute {}", attribute));
      tag.attributes[std::move(attribute)] = text::decode_entities(xml_.substr(pos_, close - pos_));
      pos_ = close + 1;
    }
  }

 private:
  std::string name() {
    const auto start = pos_;
    while (pos_ < xml_.size() && !is_space(xml_[pos_]) &&
           std::string_view("/>=<\"'").find(xml_[pos_]) == std::string_view::npos) {
      ++pos_;
    }
    return std::string(xml_.substr(start, pos_ - start));
  }
  void skip_space() {
    while (pos_ < xml_.size() && is_space(xml_[pos_])) ++pos_;
  }

  std::string_view xml_;
  std::size_t pos_ = 0;
  std::string_view text_;
};

constexpr std::size_t kMaxFailureText = 64 * 1024;

// The last line of a traceback that names a Python file and line: "<path>.py:<line>: ...".
std::optional<std::pair<std::string, int>> traceback_location(std::string_view text) {
  std::optional<std::pair<std::string, int>> found;
  for (const auto& line : text::split_lines(text)) {
    const auto at = line.find(".py:");
    if (at == std::string_view::npos || at == 0) continue;
    const auto digits = at + 4;
    int number = 0;
    const auto [end, error] =
        std::from_chars(line.data() + digits, line.data() + line.size(), number);
    if (error != std::errc{} || end == line.data() + line.size() || *end != ':' || number <= 0) {
      continue;
    }
    const auto path = text::trim(line.substr(0, digits - 1));
    if (path.empty() || path.find(' ') != std::string_view::npos) continue;
    found.emplace(std::string(path), number);
  }
  return found;
}

// Counts are not negative; a sum too large for an int (a report's attributes may say anything)
// stays at the largest one.
int add_counts(int a, int b) {
  return static_cast<int>(
      std::min<long long>(static_cast<long long>(a) + b, std::numeric_limits<int>::max()));
}

int attribute_count(const StartTag& tag, const char* name) {
  const auto it = tag.attributes.find(name);
  if (it == tag.attributes.end()) return 0;
  int value = 0;
  std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
  return std::max(value, 0);
}

// Collects <testcase> outcomes while the scanner walks the document.
class CaseCounter {
 public:
  void start(const StartTag& tag, std::size_t depth) {
    if (tag.name == "testcase" && !in_case_) {
      in_case_ = true;
      case_depth_ = depth;
      failed_ = skipped_ = in_failure_ = false;
      failure_ = {};
      text_.clear();
      if (const auto file = tag.attributes.find("file"); file != tag.attributes.end()) {
        failure_.file = file->second;
        failure_.line = attribute_count(tag, "line");
      }
      const auto classname = tag.attributes.find("classname");
      const auto name = tag.attributes.find("name");
      name_ = name == tag.attributes.end() ? "<unnamed>" : name->second;
      if (classname != tag.attributes.end() && !classname->second.empty()) {
        name_ = classname->second + "." + name_;
      }
      ++cases_;
      if (tag.self_closing) finish();
    } else if (in_case_ && depth == case_depth_ + 1) {
      if (tag.name == "failure" || tag.name == "error") {
        failed_ = true;
        if (const auto message = tag.attributes.find("message"); message != tag.attributes.end()) {
          if (failure_.message.empty()) failure_.message = message->second;
        }
        in_failure_ = !tag.self_closing;
      }
      if (tag.name == "skipped") skipped_ = true;
    }
  }
  void end(std::size_t depth) {
    if (in_case_ && depth == case_depth_ + 1) in_failure_ = false;
    if (in_case_ && depth == case_depth_) finish();
  }
  // Text, decoded, inside a <failure> or <error>.
  void text(std::string_view content) {
    if (in_failure_ && text_.size() < kMaxFailureText) {
      text_ += content.substr(0, kMaxFailureText - text_.size());
    }
  }
  int cases() const { return cases_; }
  JunitSummary summary;

 private:
  void finish() {
    in_case_ = false;
    if (failed_) {
      ++summary.failed;
      summary.failed_names.push_back(name_);
      failure_.name = name_;
      if (failure_.file.empty()) {
        if (const auto location = traceback_location(text_)) {
          std::tie(failure_.file, failure_.line) = *location;
        }
      }
      if (failure_.message.empty()) {
        const auto lines = text::split_lines(text::trim(text_));
        if (!lines.empty()) failure_.message = std::string(text::trim(lines.front()));
      }
      summary.failures.push_back(std::move(failure_));
    } else if (skipped_) {
      ++summary.skipped;
    } else {
      ++summary.passed;
    }
  }

  bool in_case_ = false;
  std::size_t case_depth_ = 0;
  bool failed_ = false;
  bool skipped_ = false;
  bool in_failure_ = false;
  std::string text_;  // of the failure, decoded
  JunitFailure failure_;
  std::string name_;
  int cases_ = 0;
};

// A report that lists no <testcase> but gives its counts as attributes of the root.
JunitSummary from_root_attributes(const StartTag& root) {
  JunitSummary summary;
  summary.failed = add_counts(attribute_count(root, "failures"), attribute_count(root, "errors"));
  summary.skipped = add_counts(attribute_count(root, "skipped"), attribute_count(root, "disabled"));
  summary.passed = static_cast<int>(std::max<long long>(
      static_cast<long long>(attribute_count(root, "tests")) - summary.failed - summary.skipped,
      0));
  return summary;
}

std::string read_report(const fs::path& file) {
  if (fs::file_size(file) > kMaxReportBytes) throw JunitError("larger than 256 MiB; not read");
  auto content = text::read_file(file);
  if (!content) throw JunitError("cannot be read");
  return std::move(*content);
}

}  // namespace

JunitSummary& JunitSummary::operator+=(const JunitSummary& other) {
  passed = add_counts(passed, other.passed);
  failed = add_counts(failed, other.failed);
  skipped = add_counts(skipped, other.skipped);
  failed_names.insert(failed_names.end(), other.failed_names.begin(), other.failed_names.end());
  failures.insert(failures.end(), other.failures.begin(), other.failures.end());
  return *this;
}

std::optional<JunitSummary> parse_junit(std::string_view xml) {
  Scanner scanner(xml);
  std::vector<std::string> open;
  std::optional<StartTag> root;
  CaseCounter counter;
  while (scanner.next_markup(open.empty())) {
    counter.text(text::decode_entities(scanner.text()));
    if (scanner.at("<?")) {
      scanner.skip_past("?>", "processing instruction");
    } else if (scanner.at("<!--")) {
      scanner.skip_past("-->", "comment");
    } else if (scanner.at("<![CDATA[")) {
      if (open.empty()) scanner.fail("CDATA outside the root element");
      counter.text(scanner.cdata());
    } else if (scanner.at("<!")) {
      if (root) scanner.fail("DOCTYPE after the root element");
      scanner.skip_doctype();
    } else if (scanner.at("</")) {
      const auto name = scanner.end_tag();
      if (open.empty() || open.back() != name) {
        scanner.fail(open.empty() ? fmt::format("</{}> closes nothing", name)
                                  : fmt::format("</{}> closes <{}>", name, open.back()));
      }
      open.pop_back();
      counter.end(open.size());
    } else {
      auto tag = scanner.start_tag();
      if (open.empty()) {
        if (root) scanner.fail(fmt::format("a second root element <{}>", tag.name));
        if (tag.name != "testsuite" && tag.name != "testsuites") return std::nullopt;
        root = tag;
      }
      counter.start(tag, open.size());
      if (!tag.self_closing) open.push_back(std::move(tag.name));
    }
  }
  if (!open.empty()) scanner.fail(fmt::format("<{}> is not closed", open.back()));
  if (!root) scanner.fail("no root element");
  if (counter.cases() == 0) return from_root_attributes(*root);
  return counter.summary;
}

JunitReports summarize_junit_reports(const fs::path& folder) {
  JunitReports reports;
  std::error_code error;
  if (!fs::is_directory(folder, error)) return reports;
  std::vector<fs::path> candidates;
  for (auto it = fs::recursive_directory_iterator(folder, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file(error) && text::lowercase(it->path().extension().string()) == ".xml") {
      candidates.push_back(it->path());
    }
  }
  std::sort(candidates.begin(), candidates.end());
  for (const auto& file : candidates) {
    const auto relative = file.lexically_relative(folder);
    try {
      if (const auto summary = parse_junit(read_report(file))) {
        reports.summary += *summary;
        reports.files.push_back(relative.generic_string());
      }
    } catch (const std::exception& e) {
      reports.warnings.push_back(fmt::format("{}: not a readable XML report ({}); not summarized",
                                             file.string(), e.what()));
    }
  }
  return reports;
}

std::string format_junit_summary(const JunitSummary& summary, std::size_t max_names) {
  auto line = fmt::format("{} passed, {} failed, {} skipped", summary.passed, summary.failed,
                          summary.skipped);
  const auto& names = summary.failed_names;
  if (names.empty()) return line;
  const auto shown = std::min(names.size(), max_names);
  line += fmt::format("; failed: {}", fmt::join(names.begin(), names.begin() + shown, ", "));
  if (shown < names.size()) line += fmt::format(" and {} more", names.size() - shown);
  return line;
}

}  // namespace dp::docker
