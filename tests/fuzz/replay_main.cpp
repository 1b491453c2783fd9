// A stand-in for libFuzzer where there is none (GCC): runs LLVMFuzzerTestOneInput over every file
// of a seed corpus, then over a batch of inputs made from it with a fixed seed, so every run of
// the test checks the same inputs.
//
// Usage: replay CORPUS_DIR [COUNT [SEED]]
#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "version/pep440.hpp"
#include "version/semver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::string> read_corpus(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // directory order is not stable; the batch must be
  std::vector<std::string> corpus;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (corpus.empty()) throw std::runtime_error("no seed inputs in " + dir.string());
  return corpus;
}

// Pieces of versions, so that mutations reach past the first unexpected character.
constexpr std::array<std::string_view, 33> kTokens = {
    "0",
    "1",
    "00",
    "9",
    "18446744073709551615",
    "18446744073709551616",
    ".",
    "-",
    "_",
    "+",
    "!",
    "v",
    "V",
    " ",
    "\t",
    "a",
    "b",
    "c",
    "rc",
    "alpha",
    "beta",
    "pre",
    "preview",
    "post",
    "r",
    "rev",
    "dev",
    "DEV",
    "\xe2\x80\xaf",
    "\xc2\xa0",
    "\xc3",
    "local.7",
    "1.0.0",
};

class Mutator {
 public:
  Mutator(const std::vector<std::string>& corpus, std::uint64_t seed)
      : corpus_(corpus), random_(seed) {}

  std::string next() {
    if (below(4) == 0) return generated();
    auto text = pick(corpus_);
    const auto steps = 1 + below(4);
    for (std::size_t i = 0; i < steps; ++i) mutate(text);
    return text;
  }

 private:
  void mutate(std::string& text) {
    const auto at = below(text.size() + 1);
    switch (below(7)) {
      case 0:
        text.insert(at, 1, static_cast<char>(below(256)));
        break;
      case 1:
        text.insert(at, pick(kTokens));
        break;
      case 2:
        if (!text.empty()) text.erase(std::min(at, text.size() - 1), 1 + below(3));
        break;
      case 3:
        if (at < text.size()) text[at] = static_cast<char>(below(256));
        break;
      case 4:
        if (at < text.size()) text[at] = pick(kTokens).front();
        break;
      case 5:
        splice(text, at);
        break;
      default:
        text = text.substr(0, at) + text.substr(at / 2);  // repeats a middle part
        break;
    }
  }

  // A prefix of this input and a suffix of another.
  void splice(std::string& text, std::size_t at) {
    const auto other = pick(corpus_);
    text = text.substr(0, at) + other.substr(below(other.size() + 1));
  }

  // A version built part by part, in any of the spellings PEP 440 allows, now and then broken.
  std::string generated() {
    static constexpr std::array<std::string_view, 4> kLeads = {"", " ", "v", "\n"};
    static constexpr std::array<std::string_view, 8> kPre = {"a", "alpha", "b",   "beta",
                                                             "c", "rc",    "pre", "preview"};
    static constexpr std::array<std::string_view, 3> kPost = {"post", "rev", "r"};
    std::string text{pick(kLeads)};
    if (below(4) == 0) text += number() + "!";
    const auto release_numbers = 1 + below(4);
    for (std::size_t i = 0; i < release_numbers; ++i) text += (i == 0 ? "" : ".") + number();
    if (below(2) == 0) text += separator() + std::string{pick(kPre)} + separator() + maybe_number();
    if (below(3) == 0 && below(3) == 0) {
      text += "-" + number();
    } else if (below(3) == 0) {
      text += separator() + std::string{pick(kPost)} + separator() + maybe_number();
    }
    if (below(3) == 0) text += separator() + "dev" + separator() + maybe_number();
    if (below(3) == 0) {
      text += "+" + std::string{pick(kTokens)};
      while (below(2) == 0) text += separator() + std::string{pick(kTokens)};
    }
    if (below(8) == 0) mutate(text);
    return text;
  }

  std::string number() {
    static constexpr std::array<std::string_view, 6> kNumbers = {
        "0", "1", "007", "10", "999999999999", "18446744073709551615"};
    return std::string{pick(kNumbers)};
  }
  std::string maybe_number() { return below(3) == 0 ? "" : number(); }
  std::string separator() {
    static constexpr std::array<std::string_view, 5> kSeparators = {"", "", ".", "-", "_"};
    return std::string{pick(kSeparators)};
  }

  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }
  template <typename Container>
  typename Container::value_type pick(const Container& items) {
    return items[below(items.size())];
  }

  const std::vector<std::string>& corpus_;
  std::mt19937_64 random_;
};

struct Tally {
  std::uint64_t inputs = 0;
  std::uint64_t pep440 = 0;
  std::uint64_t semver = 0;
};

// Counts what the inputs were too, to show that the batch reaches past the parsers' errors.
void run(const std::string& input, Tally& tally) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  ++tally.inputs;
  try {
    dp::version::parse(input);
    ++tally.pep440;
  } catch (const dp::version::VersionError&) {
  }
  try {
    dp::version::parse_semver(input);
    ++tally.semver;
  } catch (const dp::version::VersionError&) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::cerr << "usage: " << argv[0] << " CORPUS_DIR [COUNT [SEED]]\n";
    return 2;
  }
  try {
    const auto corpus = read_corpus(argv[1]);
    const auto count = argc > 2 ? std::stoull(argv[2]) : 200000;
    const auto seed = argc > 3 ? std::stoull(argv[3]) : 1;
    Tally tally;
    for (const auto& input : corpus) run(input, tally);
    Mutator mutator(corpus, seed);
    for (std::uint64_t i = 0; i < count; ++i) run(mutator.next(), tally);
    std::cout << argv[0] << ": " << corpus.size() << " seed inputs and " << count
              << " generated ones (seed " << seed << "), no failures; " << tally.pep440 << " of "
              << tally.inputs << " were PEP 440 versions, " << tally.semver << " SemVer\n";
  } catch (const std::exception& e) {
    std::cerr << argv[0] << ": " << e.what() << '\n';
    return 1;
  }
  return 0;
}
