#include "pypi/check/attestation_check.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "text/base64.hpp"
#include "text/file.hpp"

namespace dp::pypi {
namespace {

using nlohmann::json;

constexpr std::string_view kInTotoStatementType = "https://in-toto.io/Statement/v1";

// nlohmann's parse error without its "[json.exception.parse_error.101] parse error " prefix, or
// its number overflow ("number overflow parsing '1e400'"), cut short: the number may be long.
std::string attestation_parse_problem(const json::exception& error) {
  constexpr std::size_t kMaxShown = 120;
  std::string_view what = error.what();
  if (const auto end = what.find("] "); end != std::string_view::npos) what.remove_prefix(end + 2);
  if (what.starts_with("parse error ")) what.remove_prefix(std::string_view{"parse error "}.size());
  if (what.size() > kMaxShown) return std::string{what.substr(0, kMaxShown)} + "...";
  return std::string{what};
}

// The member `key` of `object`, or null when there is none.
const json* attestation_member(const json& object, std::string_view key) {
  const auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

// "missing (must be <wanted>)" or "is a <type>, must be <wanted>".
std::string attestation_type_problem(const json* value, std::string_view wanted) {
  if (value == nullptr) return fmt::format("missing (must be {})", wanted);
  return fmt::format("is {} {}, must be {}", value->is_array() || value->is_object() ? "an" : "a",
                     value->type_name(), wanted);
}

class AttestationFindings {
 public:
  AttestationFindings(const std::filesystem::path& file, CheckFindings& findings)
      : file_(file.string()), findings_(findings) {}

  void error(std::string_view field, std::string_view problem) {
    findings_.errors.push_back(fmt::format("{}: {}: {}", file_, field, problem));
  }

  // The member as an object (else an error naming the field).
  const json* object(const json& parent, std::string_view key, std::string_view field) {
    const json* value = attestation_member(parent, key);
    if (value != nullptr && value->is_object()) return value;
    error(field, attestation_type_problem(value, "an object"));
    return nullptr;
  }

  // The member as a string (else an error naming the field).
  const std::string* string(const json& parent, std::string_view key, std::string_view field) {
    const json* value = attestation_member(parent, key);
    if (value != nullptr && value->is_string()) return &value->get_ref<const std::string&>();
    error(field, attestation_type_problem(value, "a string"));
    return nullptr;
  }

 private:
  std::string file_;
  CheckFindings& findings_;
};

// The in-toto Statement the envelope carries, decoded.
void check_attestation_statement(AttestationFindings& report, const std::string& encoded,
                                 std::string_view dist_file_name, std::string_view sha256) {
  constexpr std::string_view field = "envelope.statement";
  const auto decoded = text::base64_decode(encoded);
  if (!decoded) {
    report.error(field, "not base64");
    return;
  }
  json statement;
  try {
    statement = json::parse(*decoded);
  } catch (const json::exception& error) {  // a syntax error, or a number out of range
    report.error(field, fmt::format("the decoded statement is not JSON: {}",
                                    attestation_parse_problem(error)));
    return;
  }
  if (!statement.is_object()) {
    report.error(field, fmt::format("the decoded statement {}",
                                    attestation_type_problem(&statement, "an object")));
    return;
  }
  if (const auto* type = report.string(statement, "_type", "envelope.statement _type");
      type != nullptr && *type != kInTotoStatementType) {
    report.error("envelope.statement _type",
                 fmt::format("is \"{}\", must be \"{}\"", *type, kInTotoStatementType));
  }
  report.string(statement, "predicateType", "envelope.statement predicateType");
  const json* subjects = attestation_member(statement, "subject");
  if (subjects == nullptr || !subjects->is_array()) {
    report.error("envelope.statement subject",
                 attestation_type_problem(subjects, "a list of exactly one subject"));
    return;
  }
  if (subjects->size() != 1) {
    report.error(
        "envelope.statement subject",
        fmt::format("holds {} subjects, must hold exactly one (the dist)", subjects->size()));
    return;
  }
  const json& subject = subjects->front();
  if (!subject.is_object()) {
    report.error("envelope.statement subject[0]", attestation_type_problem(&subject, "an object"));
    return;
  }
  if (const auto* name = report.string(subject, "name", "envelope.statement subject[0].name");
      name != nullptr && *name != dist_file_name) {
    report.error(
        "envelope.statement subject[0].name",
        fmt::format("is \"{}\", must be the dist's file name \"{}\"", *name, dist_file_name));
  }
  const json* digests = report.object(subject, "digest", "envelope.statement subject[0].digest");
  if (digests == nullptr) return;
  if (const auto* digest =
          report.string(*digests, "sha256", "envelope.statement subject[0].digest.sha256");
      digest != nullptr && *digest != sha256) {
    report.error("envelope.statement subject[0].digest.sha256",
                 fmt::format("is {}, must be the dist's sha256 {}", *digest, sha256));
  }
}

}  // namespace

std::filesystem::path attestation_file_of(const std::filesystem::path& dist) {
  auto file = dist;
  file += kAttestationSuffix;
  return file;
}

CheckFindings check_attestation(const std::filesystem::path& attestation_file,
                                std::string_view content, std::string_view dist_file_name,
                                std::string_view sha256) {
  CheckFindings findings;
  AttestationFindings report{attestation_file, findings};
  json attestation;
  try {
    attestation = json::parse(content);
  } catch (const json::exception& error) {  // a syntax error, or a number out of range
    findings.errors.push_back(fmt::format("{}: not JSON: {}", attestation_file.string(),
                                          attestation_parse_problem(error)));
    return findings;
  }
  if (!attestation.is_object()) {
    findings.errors.push_back(fmt::format("{}: the attestation {}", attestation_file.string(),
                                          attestation_type_problem(&attestation, "an object")));
    return findings;
  }
  const json* version = attestation_member(attestation, "version");
  if (version == nullptr) {
    report.error("version", "missing (must be 1)");
  } else if (!version->is_number_integer() || *version != 1) {
    report.error("version", fmt::format("is {}, must be 1", version->dump()));
  }
  report.object(attestation, "verification_material", "verification_material");
  const json* envelope = report.object(attestation, "envelope", "envelope");
  if (envelope == nullptr) return findings;
  report.string(*envelope, "signature", "envelope.signature");
  if (const auto* statement = report.string(*envelope, "statement", "envelope.statement")) {
    check_attestation_statement(report, *statement, dist_file_name, sha256);
  }
  return findings;
}

CheckFindings check_attestation_file(const std::filesystem::path& attestation_file,
                                     std::string_view dist_file_name, std::string_view sha256) {
  const auto content = text::read_file(attestation_file);
  if (!content) {
    CheckFindings findings;
    findings.errors.push_back(
        fmt::format("{}: cannot be read: {}", attestation_file.string(), std::strerror(errno)));
    return findings;
  }
  return check_attestation(attestation_file, *content, dist_file_name, sha256);
}

}  // namespace dp::pypi
