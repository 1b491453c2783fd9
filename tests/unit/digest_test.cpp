#include "digest/digest.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "text/file.hpp"

namespace dp::digest {
namespace {

// Known answers from Python's hashlib (md5, sha256, blake2b(digest_size=32)).
struct KnownAnswer {
  Algorithm algorithm;
  std::string data;
  std::string hex;
};

const KnownAnswer known_answers[] = {
    {Algorithm::md5, "", "d41d8cd98f00b204e9800998ecf8427e"},
    {Algorithm::md5, "abc", "900150983cd24fb0d6963f7d28e17f72"},
    {Algorithm::sha256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {Algorithm::sha256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {Algorithm::blake2b_256, "",
     "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"},
    {Algorithm::blake2b_256, "abc",
     "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"},
};

std::filesystem::path write_temp_file(const std::string& name, const std::string& content) {
  const auto file = std::filesystem::path{testing::TempDir()} / name;
  std::ofstream{file, std::ios::binary} << content;
  return file;
}

TEST(digest, KnownAnswers) {
  for (const auto& answer : known_answers) {
    EXPECT_EQ(hex_of(answer.algorithm, answer.data), answer.hex) << answer.data;
  }
}

TEST(digest, SameDigestWhateverTheChunking) {
  for (const auto& answer : known_answers) {
    Hasher hasher{answer.algorithm};
    for (const char c : answer.data) hasher.update(std::string_view{&c, 1});
    EXPECT_EQ(hasher.hex(), answer.hex) << answer.data;
  }
}

TEST(digest, OfAFileAsOfItsContent) {
  const auto file = write_temp_file("digest-abc.bin", "abc");
  for (const auto& answer : known_answers) {
    if (answer.data == "abc") {
      EXPECT_EQ(hex_of_file(answer.algorithm, file), answer.hex);
    }
  }
}

TEST(digest, NamesTheFileItCannotRead) {
  try {
    hex_of_file(Algorithm::sha256, std::filesystem::path{testing::TempDir()} / "absent.bin");
    FAIL() << "no error";
  } catch (const text::FileError& error) {
    EXPECT_NE(std::string{error.what()}.find("absent.bin"), std::string::npos);
  }
}

TEST(digest, UrlsafeBase64WithoutPadding) {
  // PEP 427's RECORD form of sha256("abc"), as base64.urlsafe_b64encode(...).rstrip(b"=").
  EXPECT_EQ(Hasher{Algorithm::sha256}.update("abc").urlsafe_base64(),
            "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  EXPECT_EQ(Hasher{Algorithm::sha256}.urlsafe_base64(),
            "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  const std::uint8_t bytes[] = {0xfb, 0xff, 0xfe, 0x01};
  EXPECT_EQ(Hasher::to_urlsafe_base64(std::span{bytes, 0}), "");
  EXPECT_EQ(Hasher::to_urlsafe_base64(std::span{bytes, 1}), "-w");
}

TEST(digest, HexIsLowerCase) {
  const std::uint8_t bytes[] = {0x00, 0xab, 0xff};
  EXPECT_EQ(Hasher::to_hex(bytes), "00abff");
}

}  // namespace
}  // namespace dp::digest
