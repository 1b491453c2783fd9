#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "digest/file_digests.hpp"
#include "pypi/check/attestation_check.hpp"
#include "pypi/dist/dist_files.hpp"
#include "pypi/dist/distribution.hpp"
#include "pypi/errors.hpp"
#include "pypi/upload/pending_digests.hpp"
#include "pypi/upload/upload_form.hpp"

namespace dp::pypi {
namespace {

using nlohmann::json;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const std::filesystem::path fixtures = std::filesystem::path{DP_TEST_DATA_DIR} / "pypi";
const std::filesystem::path attestation_file = "dist/demo-1.0-py3-none-any.whl.publish.attestation";
constexpr const char* kDist = "demo-1.0-py3-none-any.whl";
constexpr const char* kSha256 = "0f2b6a3c5d8e9f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192";

std::string base64(std::string_view data) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  for (std::size_t i = 0; i < data.size(); i += 3) {
    std::uint32_t bits = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) bits |= static_cast<unsigned char>(data[i + 1]) << 8;
    if (i + 2 < data.size()) bits |= static_cast<unsigned char>(data[i + 2]);
    encoded += alphabet[(bits >> 18) & 63];
    encoded += alphabet[(bits >> 12) & 63];
    encoded += i + 1 < data.size() ? alphabet[(bits >> 6) & 63] : '=';
    encoded += i + 2 < data.size() ? alphabet[bits & 63] : '=';
  }
  return encoded;
}

json statement_for(const std::string& name, const std::string& sha256) {
  return {{"_type", "https://in-toto.io/Statement/v1"},
          {"subject", json::array({{{"name", name}, {"digest", {{"sha256", sha256}}}}})},
          {"predicateType", "https://docs.pypi.org/attestations/publish/v1"},
          {"predicate", json::object()}};
}

// An attestation as gh-action-pypi-publish writes it (the signature is not verified here).
json attestation_of(const json& statement) {
  return {{"version", 1},
          {"verification_material",
           {{"certificate", "MIIC..."}, {"transparency_entries", json::array()}}},
          {"envelope", {{"statement", base64(statement.dump())}, {"signature", "MEUCIQ=="}}}};
}

CheckFindings check(const json& attestation) {
  return check_attestation(attestation_file, attestation.dump(), kDist, kSha256);
}

// The one error of `findings`; it names the attestation file.
std::string only_error(const CheckFindings& findings) {
  EXPECT_THAT(findings.errors, SizeIs(1));
  if (findings.errors.empty()) return "";
  EXPECT_THAT(findings.errors[0], HasSubstr(attestation_file.string()));
  return findings.errors[0];
}

TEST(pypiAttestation, ValidAttestationPasses) {
  const auto findings = check(attestation_of(statement_for(kDist, kSha256)));
  EXPECT_THAT(findings.errors, IsEmpty());
  EXPECT_THAT(findings.warnings, IsEmpty());
}

TEST(pypiAttestation, ItsFileIsBesideTheDist) {
  EXPECT_EQ(attestation_file_of("dist/demo-1.0.tar.gz"),
            std::filesystem::path{"dist/demo-1.0.tar.gz.publish.attestation"});
}

TEST(pypiAttestation, WrongNameIsAnErrorNamingTheField) {
  const auto error = only_error(check(attestation_of(statement_for("other-1.0.tar.gz", kSha256))));
  EXPECT_THAT(error, HasSubstr("subject[0].name"));
  EXPECT_THAT(error, HasSubstr("other-1.0.tar.gz"));
  EXPECT_THAT(error, HasSubstr(kDist));
}

TEST(pypiAttestation, WrongSha256IsAnErrorNamingBothDigests) {
  const std::string other(64, 'a');
  const auto error = only_error(check(attestation_of(statement_for(kDist, other))));
  EXPECT_THAT(error, HasSubstr("subject[0].digest.sha256"));
  EXPECT_THAT(error, HasSubstr(other));
  EXPECT_THAT(error, HasSubstr(kSha256));
}

TEST(pypiAttestation, TwoSubjectsAreAnError) {
  auto statement = statement_for(kDist, kSha256);
  statement["subject"].push_back(statement["subject"][0]);
  const auto error = only_error(check(attestation_of(statement)));
  EXPECT_THAT(error, HasSubstr("subject"));
  EXPECT_THAT(error, HasSubstr("holds 2"));
}

TEST(pypiAttestation, NoSubjectIsAnError) {
  auto statement = statement_for(kDist, kSha256);
  statement["subject"] = json::array();
  EXPECT_THAT(only_error(check(attestation_of(statement))), HasSubstr("holds 0"));
}

TEST(pypiAttestation, BadBase64IsAnError) {
  auto attestation = attestation_of(statement_for(kDist, kSha256));
  attestation["envelope"]["statement"] = "not*base64!";
  EXPECT_THAT(only_error(check(attestation)), HasSubstr("envelope.statement: not base64"));
}

TEST(pypiAttestation, AStatementThatIsNotJsonIsAnError) {
  auto attestation = attestation_of(statement_for(kDist, kSha256));
  attestation["envelope"]["statement"] = base64("{not json");
  EXPECT_THAT(only_error(check(attestation)),
              HasSubstr("envelope.statement: the decoded statement is not JSON"));
}

TEST(pypiAttestation, AnotherStatementTypeIsAnError) {
  auto statement = statement_for(kDist, kSha256);
  statement["_type"] = "https://in-toto.io/Statement/v0.1";
  EXPECT_THAT(only_error(check(attestation_of(statement))), HasSubstr("_type"));
  statement.erase("predicateType");
  statement["_type"] = "https://in-toto.io/Statement/v1";
  EXPECT_THAT(only_error(check(attestation_of(statement))), HasSubstr("predicateType: missing"));
}

TEST(pypiAttestation, NotJsonIsOneError) {
  const auto findings = check_attestation(attestation_file, "{\"version\": 1,", kDist, kSha256);
  EXPECT_THAT(only_error(findings), HasSubstr("not JSON"));
  EXPECT_THAT(only_error(check_attestation(attestation_file, "[1]", kDist, kSha256)),
              HasSubstr("must be an object"));
}

TEST(pypiAttestation, ANumberOutOfRangeIsNotJsonNotACrash) {
  // nlohmann throws out_of_range, not parse_error, for these (found by fuzzing).
  EXPECT_THAT(
      only_error(check_attestation(attestation_file, "{\"version\": 1e400}", kDist, kSha256)),
      HasSubstr("not JSON: number overflow parsing '1e400'"));
  auto attestation = attestation_of(statement_for(kDist, kSha256));
  attestation["envelope"]["statement"] = base64("[" + std::string(500, '4') + "e4444]");
  EXPECT_THAT(
      only_error(check(attestation)),
      AllOf(HasSubstr("the decoded statement is not JSON: number overflow"), HasSubstr("...")));
}

TEST(pypiAttestation, MissingEnvelopeIsAnError) {
  auto attestation = attestation_of(statement_for(kDist, kSha256));
  attestation.erase("envelope");
  EXPECT_THAT(only_error(check(attestation)), HasSubstr("envelope: missing"));
}

TEST(pypiAttestation, EnvelopeMembersMustBeStrings) {
  auto attestation = attestation_of(statement_for(kDist, kSha256));
  attestation["envelope"]["signature"] = 5;
  EXPECT_THAT(only_error(check(attestation)),
              HasSubstr("envelope.signature: is a number, must be a string"));
}

TEST(pypiAttestation, VersionAndVerificationMaterialAreChecked) {
  auto attestation = attestation_of(statement_for(kDist, kSha256));
  attestation["version"] = 2;
  attestation["verification_material"] = "none";
  const auto findings = check(attestation);
  EXPECT_THAT(findings.errors,
              ElementsAre(HasSubstr("version: is 2, must be 1"),
                          HasSubstr("verification_material: is a string, must be an object")));
}

TEST(pypiAttestation, AFileThatCannotBeReadIsAnError) {
  EXPECT_THAT(only_error(check_attestation_file(attestation_file, kDist, kSha256)),
              HasSubstr("cannot be read"));
}

TEST(pypiAttestation, TheFieldValueIsAnArrayHoldingTheAttestation) {
  const auto attestation = attestation_of(statement_for(kDist, kSha256));
  const auto value = json::parse(attestations_field_value(attestation.dump(2)));
  ASSERT_TRUE(value.is_array());
  EXPECT_EQ(value, json::array({attestation}));
  EXPECT_THROW(attestations_field_value("{"), DistributionError);
}

TEST(pypiAttestation, TheFormCarriesTheField) {
  const auto dist = inspect_distribution(fixtures / "demo_pkg-0.1.0-py3-none-any.whl");
  const auto digests = digest::compute_file_digests(dist.path);
  const auto attestation =
      attestation_of(statement_for(dist.path.filename().string(), digests.sha256));
  ASSERT_THAT(check_attestation(attestation_file, attestation.dump(), dist.path.filename().string(),
                                digests.sha256)
                  .errors,
              IsEmpty());
  const auto value = attestations_field_value(attestation.dump());
  for (auto fields :
       {upload_form_fields(dist, digests, "a comment"), upload_form_fields(dist, std::nullopt)}) {
    add_attestations_field(fields, value);
    std::vector<std::string> names;
    for (const auto& field : fields) names.push_back(field.name);
    const auto at = std::find(names.begin(), names.end(), "attestations");
    ASSERT_NE(at, names.end());
    EXPECT_EQ(std::count(names.begin(), names.end(), "attestations"), 1);
    EXPECT_EQ(fields[at - names.begin()].value, value);
    // After the comment (when there is one), before the digests and ":action".
    const auto after = std::vector<std::string>(at + 1, names.end());
    EXPECT_EQ(after.back(), "protocol_version");
    EXPECT_EQ(std::find(after.begin(), after.end(), "comment"), after.end());
    EXPECT_NE(std::find(after.begin(), after.end(), ":action"), after.end());
  }
  // Without an attestation the field is not sent.
  const auto plain = upload_form_fields(dist, digests, std::nullopt);
  EXPECT_TRUE(std::none_of(plain.begin(), plain.end(),
                           [](const FormField& field) { return field.name == "attestations"; }));
}

TEST(pypiAttestation, DigestsComputedEarlierAreReadyAtOnce) {
  const digest::FileDigests known{kSha256, "b2", 42};
  const PendingDigests pending{known};
  EXPECT_EQ(pending.get().sha256, kSha256);
  EXPECT_EQ(pending.get().size, 42u);
}

TEST(pypiAttestation, PatternsLeaveAttestationsOut) {
  const auto folder = std::filesystem::path{::testing::TempDir()} / "attestation_patterns";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  std::filesystem::copy_file(fixtures / "demo_pkg-0.1.0.tar.gz", folder / "demo_pkg-0.1.0.tar.gz");
  std::ofstream{folder / "demo_pkg-0.1.0.tar.gz.publish.attestation"} << "{}";
  const auto files = expand_dist_arguments({(folder / "*").string()});
  EXPECT_THAT(files, ElementsAre(folder / "demo_pkg-0.1.0.tar.gz"));
  std::filesystem::remove(folder / "demo_pkg-0.1.0.tar.gz");
  EXPECT_THROW(expand_dist_arguments({(folder / "*").string()}), DistributionError);
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace dp::pypi
