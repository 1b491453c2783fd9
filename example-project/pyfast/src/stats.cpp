#include "pyfast/stats.hpp"

#include <algorithm>
#include <stdexcept>

namespace pyfast {

Summary summarize(const std::vector<double>& values) {
  if (values.empty()) throw std::invalid_argument("summarize: no values");
  Summary s;
  s.min = s.max = values.front();
  double m2 = 0;
  for (const double value : values) {
    ++s.count;
    const double delta = value - s.mean;
    s.mean += delta / static_cast<double>(s.count);
    m2 += delta * (value - s.mean);
    s.min = std::min(s.min, value);
    s.max = std::max(s.max, value);
  }
  s.variance = s.count > 1 ? m2 / static_cast<double>(s.count - 1) : 0;
  return s;
}

}  // namespace pyfast
