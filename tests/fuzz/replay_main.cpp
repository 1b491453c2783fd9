// A stand-in for libFuzzer where there is none (GCC): runs LLVMFuzzerTestOneInput over every file
// of a seed corpus, then over a batch of inputs made from it with a fixed seed, so every run of
// the test checks the same inputs. Mutations insert, drop, overwrite, repeat and splice bytes, and
// insert the words of the target's dictionary (libFuzzer's format); now and then an input is made
// of dictionary words alone.
//
// Usage: replay [-runs=N] [-seed=N] [-max_len=BYTES] [-dict=FILE] CORPUS_DIR
// (the flags libFuzzer takes, so a test names them the same way for either).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> read_corpus(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // directory order is not stable; the batch must be
  std::vector<std::string> corpus;
  for (const auto& file : files) corpus.push_back(read_file(file));
  if (corpus.empty()) throw std::runtime_error("no seed inputs in " + dir.string());
  return corpus;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw std::runtime_error("bad \\x escape");
}

// libFuzzer's dictionary format: one `name="value"` or `"value"` a line, '#' comments, with the
// escapes \\, \" and \xAB.
std::vector<std::string> read_dictionary(const std::filesystem::path& file) {
  std::vector<std::string> words;
  std::istringstream lines(read_file(file));
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    const auto open = line.find('"');
    const auto close = line.rfind('"');
    if (open == std::string::npos || close == open) {
      throw std::runtime_error(file.string() + ":" + std::to_string(number) + ": no quoted word");
    }
    std::string word;
    for (auto i = open + 1; i < close; ++i) {
      if (line[i] != '\\' || i + 1 >= close) {
        word += line[i];
      } else if (line[i + 1] == 'x' && i + 3 < close) {
        word += static_cast<char>(hex_digit(line[i + 2]) * 16 + hex_digit(line[i + 3]));
        i += 3;
      } else {
        word += line[++i];
      }
    }
    words.push_back(word);
  }
  return words;
}

class Mutator {
 public:
  Mutator(const std::vector<std::string>& corpus, const std::vector<std::string>& words,
          std::size_t max_len, std::uint64_t seed)
      : corpus_(corpus), words_(words), max_len_(max_len), random_(seed) {}

  std::string next() {
    std::string text;
    if (!words_.empty() && below(8) == 0) {
      const auto count = 1 + below(12);
      for (std::size_t i = 0; i < count; ++i) text += pick(words_);
    } else {
      text = pick(corpus_);
    }
    const auto steps = 1 + below(6);
    for (std::size_t i = 0; i < steps; ++i) mutate(text);
    if (text.size() > max_len_) text.resize(max_len_);
    return text;
  }

 private:
  void mutate(std::string& text) {
    const auto at = below(text.size() + 1);
    switch (below(8)) {
      case 0:
        text.insert(at, 1, static_cast<char>(below(256)));
        break;
      case 1:
      case 2:
        text.insert(at,
                    words_.empty() ? std::string(1, static_cast<char>(below(256))) : pick(words_));
        break;
      case 3:
        if (!text.empty()) text.erase(std::min(at, text.size() - 1), 1 + below(16));
        break;
      case 4:
        if (at < text.size()) text[at] = static_cast<char>(below(256));
        break;
      case 5:
        splice(text, at);
        break;
      case 6:
        if (at < text.size()) text.resize(at);  // truncated, as a body cut off
        break;
      default:
        if (text.size() < max_len_ / 2) text = text.substr(0, at) + text.substr(at / 2);
        break;
    }
  }

  // A prefix of this input and a suffix of another.
  void splice(std::string& text, std::size_t at) {
    const auto& other = pick(corpus_);
    text = text.substr(0, at) + other.substr(below(other.size() + 1));
  }

  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }
  const std::string& pick(const std::vector<std::string>& items) {
    return items[below(items.size())];
  }

  const std::vector<std::string>& corpus_;
  const std::vector<std::string>& words_;
  std::size_t max_len_;
  std::mt19937_64 random_;
};

void run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

// The value of a flag "-name=value", or "" when `arg` is not that flag.
std::string_view flag(std::string_view arg, std::string_view name) {
  if (arg.size() <= name.size() + 2 || arg[0] != '-' || arg.substr(1, name.size()) != name ||
      arg[name.size() + 1] != '=') {
    return {};
  }
  return arg.substr(name.size() + 2);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::uint64_t runs = 10000;
    std::uint64_t seed = 1;
    std::size_t max_len = 1 << 16;
    std::filesystem::path dictionary;
    std::filesystem::path corpus_dir;
    for (int i = 1; i < argc; ++i) {
      const std::string_view arg = argv[i];
      if (auto value = flag(arg, "runs"); !value.empty()) {
        runs = std::stoull(std::string{value});
      } else if (auto value = flag(arg, "seed"); !value.empty()) {
        seed = std::stoull(std::string{value});
      } else if (auto value = flag(arg, "max_len"); !value.empty()) {
        max_len = std::stoull(std::string{value});
      } else if (auto value = flag(arg, "dict"); !value.empty()) {
        dictionary = value;
      } else if (arg.starts_with("-") || !corpus_dir.empty()) {
        throw std::runtime_error("usage: " + std::string{argv[0]} +
                                 " [-runs=N] [-seed=N] [-max_len=BYTES] [-dict=FILE] CORPUS_DIR");
      } else {
        corpus_dir = arg;
      }
    }
    if (corpus_dir.empty()) throw std::runtime_error("no corpus folder given");
    const auto started = std::chrono::steady_clock::now();
    const auto corpus = read_corpus(corpus_dir);
    const auto words =
        dictionary.empty() ? std::vector<std::string>{} : read_dictionary(dictionary);
    for (const auto& input : corpus) run(input);
    Mutator mutator(corpus, words, max_len, seed);
    for (std::uint64_t i = 0; i < runs; ++i) run(mutator.next());
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << argv[0] << ": " << corpus.size() << " seed inputs and " << runs
              << " generated ones (seed " << seed << ", " << words.size()
              << " dictionary words), no failures, " << seconds << " s\n";
  } catch (const std::exception& e) {
    std::cerr << argv[0] << ": " << e.what() << '\n';
    return 1;
  }
  return 0;
}
