#include "pipeline/matrix.hpp"

namespace dp::pipeline {

std::vector<Pipeline> expand_matrix(const Pipeline& p) {
  if (p.variants.empty()) return {p};
  std::vector<Pipeline> pipelines;
  for (const auto& variant : p.variants) {
    auto& one = pipelines.emplace_back(p);
    one.variants.clear();
    one.variant = variant.name;
    one.primary = pipelines.size() == 1;
    one.build_args.emplace_back(p.matrix_arg, variant.value);
    one.work_dir = p.work_dir / "variants" / variant.name;
    one.output_dir = p.output_dir / "variants" / variant.name;
  }
  return pipelines;
}

}  // namespace dp::pipeline
