#pragma once

#include <cstddef>
#include <vector>

namespace pyfast {

struct Summary {
  std::size_t count = 0;
  double mean = 0;
  double variance = 0;  // of the sample (n - 1); 0 for fewer than two values
  double min = 0;
  double max = 0;
};

// One pass over `values` (Welford's algorithm). Throws std::invalid_argument when it is empty.
Summary summarize(const std::vector<double>& values);

}  // namespace pyfast
