#pragma once

#include <vector>

#include "pipeline/pipeline.hpp"

namespace dp::pipeline {

// The pipelines the image and test stages run, one per image: `p` itself without a matrix; else
// one per variant, in MATRIX order, each with the matrix build arg set to its value, `variant`
// set (its image is tagged <image>:<version>-<variant>), `primary` for the first only, and
// records and outputs of its own: <work dir>/variants/<variant>/ and
// <output dir>/variants/<variant>/ (its dist/ and artifacts/). The dists of all variants are
// merged into p's dist_out_dir(), which verify and publish read.
std::vector<Pipeline> expand_matrix(const Pipeline& p);

}  // namespace dp::pipeline
