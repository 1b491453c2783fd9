#include "pipeline/pipeline.hpp"

namespace dp::pipeline {
Pipeline load(const std::filesystem::path& file) { throw PipelineError(file.string() + ": not implemented yet"); }
}  // namespace dp::pipeline
