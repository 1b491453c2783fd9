#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/pipeline.hpp"
#include "stages/reporter.hpp"

namespace dp::stages {

// Puts the dists the variants of a matrix copied out (each in its own dist folder, as its test
// record lists them) into `into`, the pipeline's one dist folder, which verify and publish read:
// each file once. A file name that several variants produced must have the same bytes in each (a
// pure wheel or an sdist that every variant builds); else dp::UserError names the file, the two
// variants and their sha256. A file already in `into` with the same bytes is left as it is; dists
// no variant produced are removed from it (other files, such as the upload journal, stay).
// Returns the file names, in the order the variants produced them.
std::vector<std::string> merge_variant_dists(const std::vector<pipeline::Pipeline>& variants,
                                             const std::filesystem::path& into, Reporter& reporter);

}  // namespace dp::stages
