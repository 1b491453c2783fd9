#include "pyfast/primes.hpp"

namespace pyfast {

std::vector<std::uint64_t> primes_below(std::uint64_t limit) {
  std::vector<std::uint64_t> primes;
  if (limit < 3) return primes;
  std::vector<bool> composite(limit, false);
  for (std::uint64_t n = 2; n < limit; ++n) {
    if (composite[n]) continue;
    primes.push_back(n);
    for (std::uint64_t multiple = n * n; multiple < limit; multiple += n)
      composite[multiple] = true;
  }
  return primes;
}

bool is_prime(std::uint64_t n) {
  if (n < 4) return n >= 2;
  if (n % 2 == 0 || n % 3 == 0) return false;
  for (std::uint64_t k = 5; k <= n / k; k += 6) {
    if (n % k == 0 || n % (k + 2) == 0) return false;
  }
  return true;
}

}  // namespace pyfast
