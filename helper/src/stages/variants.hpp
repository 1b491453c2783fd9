#pragma once

#include <functional>
#include <vector>

#include "pipeline/pipeline.hpp"
#include "stages/reporter.hpp"

namespace dp::stages {

using VariantStage = std::function<int(const pipeline::Pipeline& variant, Reporter& reporter)>;

// Runs `stage` on each of `pipelines` (pipeline::expand_matrix's): a pipeline without a matrix
// with `reporter` itself, its errors thrown as they are; the variants of a matrix up to `jobs` at
// once, each with a PrefixedReporter naming it when several run at once. Every variant runs even
// when another fails: each error is reported as it happens, and then one error names the variants
// that failed. Returns the first non-zero status in MATRIX order, else 0.
int for_each_variant(const std::vector<pipeline::Pipeline>& pipelines, int jobs, Reporter& reporter,
                     const VariantStage& stage);

}  // namespace dp::stages
