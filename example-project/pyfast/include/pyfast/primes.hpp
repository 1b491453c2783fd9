#pragma once

#include <cstdint>
#include <vector>

namespace pyfast {

// The primes below `limit`, in order (a sieve of Eratosthenes).
std::vector<std::uint64_t> primes_below(std::uint64_t limit);

// Whether `n` is prime (trial division by 6k +- 1).
bool is_prime(std::uint64_t n);

}  // namespace pyfast
