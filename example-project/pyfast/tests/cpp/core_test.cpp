// The C++ library's unit test, run by CTest on the host (no test framework needed).
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "pyfast/primes.hpp"
#include "pyfast/stats.hpp"

namespace {

int failures = 0;

void expect(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  using pyfast::is_prime;
  const std::vector<std::uint64_t> below_30{2, 3, 5, 7, 11, 13, 17, 19, 23, 29};
  expect(pyfast::primes_below(30) == below_30, "primes_below(30)");
  expect(pyfast::primes_below(2).empty(), "primes_below(2) is empty");
  expect(pyfast::primes_below(100000).size() == 9592, "9592 primes below 100000");
  expect(!is_prime(0) && !is_prime(1) && is_prime(2) && is_prime(3) && !is_prime(4), "small n");
  expect(is_prime(1000000007) && !is_prime(1000000007ULL * 3), "large n");

  const auto s = pyfast::summarize({2, 4, 4, 4, 5, 5, 7, 9});
  expect(s.count == 8 && s.mean == 5 && s.min == 2 && s.max == 9, "summary");
  expect(std::fabs(s.variance - 32.0 / 7) < 1e-12, "sample variance");
  bool threw = false;
  try {
    pyfast::summarize({});
  } catch (const std::invalid_argument&) {
    threw = true;
  }
  expect(threw, "summarize({}) throws");

  if (failures == 0) std::puts("pyfast core: all checks passed");
  return failures == 0 ? 0 : 1;
}
