// Fuzz target over PEP 740 attestations (<dist>.publish.attestation) as `check` and `upload` read
// them. The first byte says what the rest is: (even) the attestation file itself, or (odd) the
// in-toto statement, which the target wraps in a well-formed envelope (base64), so that
// mutations reach the statement's checks too. Nothing throws: each problem is a finding, and
// attestations_field_value throws only DistributionError.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pypi/check/attestation_check.hpp"
#include "pypi/upload/upload_form.hpp"

namespace {

using namespace dp::pypi;

constexpr std::string_view kDist = "demo-1.0-py3-none-any.whl";
constexpr std::string_view kSha256 =
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

std::string base64(std::string_view data) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const auto n = (std::uint32_t{static_cast<unsigned char>(data[i])} << 16) |
                   (std::uint32_t{static_cast<unsigned char>(data[i + 1])} << 8) |
                   static_cast<unsigned char>(data[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(n >> shift) & 63];
  }
  if (i < data.size()) {
    std::uint32_t n = std::uint32_t{static_cast<unsigned char>(data[i])} << 16;
    if (i + 1 < data.size()) n |= std::uint32_t{static_cast<unsigned char>(data[i + 1])} << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto input = dp::fuzz::as_text(data, size);
  std::string attestation{input.substr(1)};
  if (static_cast<unsigned char>(input[0]) % 2 == 1) {
    attestation = R"({"version": 1, "verification_material": {"certificate": "MIIC",)"
                  R"( "transparency_entries": []}, "envelope": {"statement": ")" +
                  base64(attestation) + R"(", "signature": "MEUCIQ=="}})";
  }
  const auto file = "dist/" + std::string{kDist} + std::string{kAttestationSuffix};
  check_attestation(file, attestation, kDist, kSha256);
  dp::fuzz::accepts([&] { attestations_field_value(attestation); });
  return 0;
}
