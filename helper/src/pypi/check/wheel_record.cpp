#include "pypi/check/wheel_record.hpp"

#include <fmt/core.h>

#include <map>

#include "pypi/errors.hpp"

namespace dp::pypi {
namespace {

// One CSV record as Python's csv module writes it: fields separated by ',', a field in double
// quotes may hold ',' and '""'. The caller has already split lines.
std::vector<std::string> split_csv_line(std::string_view line, std::size_t line_number) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        fields.back() += c;
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"' && fields.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  if (quoted) {
    throw DistributionError(fmt::format("RECORD line {}: unterminated quoted field", line_number));
  }
  return fields;
}

bool is_record_or_signature(std::string_view path, std::string_view record_path) {
  return path == record_path || path == fmt::format("{}.jws", record_path) ||
         path == fmt::format("{}.p7s", record_path);
}

std::string_view without_leading_dot_slash(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  return path;
}

}  // namespace

std::vector<RecordRow> parse_record(std::string_view text) {
  std::vector<RecordRow> rows;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto fields = split_csv_line(line, line_number);
    if (fields.size() != 3) {
      throw DistributionError(fmt::format("RECORD line {}: {} fields, expected path,hash,size",
                                          line_number, fields.size()));
    }
    rows.push_back({line_number, std::string{without_leading_dot_slash(fields[0])},
                    std::move(fields[1]), std::move(fields[2])});
  }
  return rows;
}

CheckFindings check_wheel_record(const DistScan& scan, const std::string& record_path) {
  CheckFindings findings;
  const auto record_text = scan.kept.find(record_path);
  if (record_text == scan.kept.end()) return findings;  // the layout check reports its absence

  std::vector<RecordRow> rows;
  try {
    rows = parse_record(record_text->second);
  } catch (const DistributionError& error) {
    findings.errors.push_back(fmt::format("{}: {}", record_path, error.what()));
    return findings;
  }

  std::map<std::string_view, const ScannedEntry*> files;
  for (const auto& entry : scan.entries) {
    if (!entry.is_regular_file) continue;
    if (!files.emplace(entry.path, &entry).second) {
      findings.errors.push_back(fmt::format("{} appears twice in the wheel", entry.path));
    }
  }

  std::map<std::string_view, std::size_t> listed;  // path -> first RECORD line
  for (const auto& row : rows) {
    const auto where = fmt::format("{} line {}", record_path, row.line);
    if (!listed.emplace(row.path, row.line).second) {
      findings.warnings.push_back(fmt::format("{}: {} is listed twice", where, row.path));
      continue;
    }
    if (is_record_or_signature(row.path, record_path)) continue;
    const auto file = files.find(row.path);
    if (file == files.end()) {
      findings.errors.push_back(
          fmt::format("{}: lists {}, which is not in the wheel", where, row.path));
      continue;
    }
    if (row.hash.empty()) {
      findings.errors.push_back(fmt::format("{}: {} has no hash", where, row.path));
    } else if (const auto equals = row.hash.find('='); equals == std::string::npos) {
      findings.errors.push_back(
          fmt::format("{}: {} has a hash without an algorithm: {}", where, row.path, row.hash));
    } else if (const auto algorithm = row.hash.substr(0, equals); algorithm != "sha256") {
      // PEP 427 forbids md5 and sha1; stronger ones are allowed but not verified here.
      if (algorithm == "md5" || algorithm == "sha1") {
        findings.errors.push_back(fmt::format("{}: {} is hashed with {}, which wheels may not use",
                                              where, row.path, algorithm));
      } else {
        findings.warnings.push_back(fmt::format(
            "{}: {} is hashed with {}; not verified (only sha256 is)", where, row.path, algorithm));
      }
    } else if (row.hash.substr(equals + 1) != file->second->sha256) {
      findings.errors.push_back(
          fmt::format("{}: sha256 of {} does not match: RECORD says {}, "
                      "the file has {}",
                      where, row.path, row.hash.substr(equals + 1), file->second->sha256));
    }
    if (row.size.empty()) {
      findings.warnings.push_back(fmt::format("{}: {} has no size", where, row.path));
    } else if (row.size != std::to_string(file->second->size)) {
      findings.errors.push_back(
          fmt::format("{}: size of {} does not match: RECORD says {}, "
                      "the file has {} bytes",
                      where, row.path, row.size, file->second->size));
    }
  }
  for (const auto& [path, entry] : files) {
    if (!listed.contains(path) && !is_record_or_signature(path, record_path)) {
      findings.errors.push_back(fmt::format("{} does not list {}", record_path, path));
    }
  }
  return findings;
}

}  // namespace dp::pypi
