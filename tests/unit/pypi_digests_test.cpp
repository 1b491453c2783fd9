#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "digest/blake2b.hpp"
#include "digest/chunk_worker.hpp"
#include "digest/file_digests.hpp"

namespace dp::pypi {
namespace {

using digest::Blake2b;
using digest::ChunkWorker;
using digest::compute_file_digests;

// Expected values computed with Python: hashlib.sha256 / blake2b(digest_size=32).

const std::filesystem::path fixtures = std::filesystem::path{DP_TEST_DATA_DIR} / "pypi";

std::filesystem::path write_temp_file(const std::string& name, const std::string& content) {
  const auto file = std::filesystem::path{testing::TempDir()} / name;
  std::ofstream{file, std::ios::binary} << content;
  return file;
}

std::string hex_blake2b(std::size_t digest_size, const std::string& data) {
  Blake2b hasher{digest_size};
  hasher.update({reinterpret_cast<const std::uint8_t*>(data.data()), data.size()});
  std::string hex;
  for (const auto byte : hasher.finish()) {
    static constexpr char digits[] = "0123456789abcdef";
    hex += digits[byte >> 4];
    hex += digits[byte & 0xf];
  }
  return hex;
}

TEST(pypiBlake2b, MatchesRfc7693AppendixA) {
  EXPECT_EQ(hex_blake2b(64, "abc"),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
}

TEST(pypiBlake2b, With32BytesIsNotTruncatedBlake2b512) {
  // hashlib.blake2b(b"abc", digest_size=32): the digest size is part of the parameter block.
  EXPECT_EQ(hex_blake2b(32, "abc"),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_EQ(hex_blake2b(32, ""),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST(pypiBlake2b, GivesTheSameDigestWhateverTheChunking) {
  std::string data(1000, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i % 251);
  Blake2b chunked{32};
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data());
  std::size_t done = 0;
  for (const std::size_t split : {0u, 1u, 127u, 128u, 129u, 256u, 1000u}) {
    chunked.update({bytes + done, split - done});
    done = split;
  }
  Blake2b whole{32};
  whole.update({bytes, data.size()});
  EXPECT_EQ(chunked.finish(), whole.finish());
}

TEST(pypiBlake2b, RefusesImpossibleSizes) {
  EXPECT_THROW(Blake2b{0}, std::invalid_argument);
  EXPECT_THROW(Blake2b{65}, std::invalid_argument);
}

TEST(pypiChunkWorker, ConsumesEveryChunkStartedBeforeWaitReturns) {
  std::uint64_t sum = 0;
  ChunkWorker worker{[&sum](std::span<const std::uint8_t> chunk) {
    sum = std::accumulate(chunk.begin(), chunk.end(), sum);
  }};
  const std::vector<std::uint8_t> data{1, 2, 3, 4, 5};
  for (int round = 0; round < 100; ++round) {
    worker.start(data);
    worker.wait();
    EXPECT_EQ(sum, 15u * static_cast<std::uint64_t>(round + 1));
  }
}

TEST(pypiChunkWorker, RethrowsWhatTheConsumerThrew) {
  ChunkWorker worker{[](std::span<const std::uint8_t> chunk) {
    if (chunk.size() == 2) throw std::runtime_error("two");
  }};
  const std::vector<std::uint8_t> data{1, 2, 3};
  worker.start(std::span{data}.first(2));
  EXPECT_THROW(worker.wait(), std::runtime_error);
  worker.start(data);
  EXPECT_NO_THROW(worker.wait());
}

TEST(pypiChunkWorker, StopsWhileIdle) {
  ChunkWorker worker{[](std::span<const std::uint8_t>) {}};
}

TEST(pypiFileDigests, OfAnEmptyFile) {
  const auto digests = compute_file_digests(write_temp_file("pypi-empty.bin", ""));
  EXPECT_EQ(digests.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(digests.blake2b_256,
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(digests.size, 0u);
}

TEST(pypiFileDigests, OfAFileLargerThanTheReadBuffer) {
  // bytes(i % 251 for i in range(1_000_003)): several chunks for both hashing threads and a
  // partial last one.
  std::string data(1'000'003, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i % 251);
  const auto digests = compute_file_digests(write_temp_file("pypi-large.bin", data));
  EXPECT_EQ(digests.sha256, "a7c4bea888022868c93104055fd56077cc81fe9eb624820fe2f717f313188782");
  EXPECT_EQ(digests.blake2b_256,
            "5dd13c21d5d15ee3672fffd056431873359dc5c1f0221b5ef13c4693aa8d13d1");
  EXPECT_EQ(digests.size, 1'000'003u);
}

TEST(pypiFileDigests, OfTheWheelFixtureMatchTwine) {
  // twine's PackageFile gives sha256_digest and blake2_256_digest.
  const auto digests = compute_file_digests(fixtures / "demo_pkg-0.1.0-py3-none-any.whl");
  EXPECT_EQ(digests.sha256, "a873ac59969d013b90f6dffa91a144ef77b1897326c592d6e1f7f06d5c4db5aa");
  EXPECT_EQ(digests.blake2b_256,
            "25bb365d48c5a5081f06e563e9ffa77a1f8d3689b1b20209d0c361b6267f80b7");
}

TEST(pypiFileDigests, NameTheFileTheyCannotRead) {
  try {
    compute_file_digests(fixtures / "absent.whl");
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string{error.what()}.find("absent.whl"), std::string::npos);
  }
}

}  // namespace
}  // namespace dp::pypi
