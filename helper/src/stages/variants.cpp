#include "stages/variants.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <exception>
#include <memory>
#include <string>

#include "core/errors.hpp"
#include "process/interrupts.hpp"
#include "process/parallel.hpp"
#include "stages/prefixed_reporter.hpp"

namespace dp::stages {

int for_each_variant(const std::vector<pipeline::Pipeline>& pipelines, int jobs, Reporter& reporter,
                     const VariantStage& stage) {
  if (pipelines.size() == 1 && pipelines.front().variant.empty()) {
    return stage(pipelines.front(), reporter);
  }
  const auto at_once = std::min<std::size_t>(static_cast<std::size_t>(jobs), pipelines.size());
  std::vector<int> statuses(pipelines.size(), 0);
  std::vector<std::string> failed(pipelines.size());
  process::run_parallel(pipelines.size(), jobs, [&](std::size_t i) {
    const auto& variant = pipelines[i];
    std::unique_ptr<Reporter> prefixed;
    if (at_once > 1 || reporter.folds_units())
      prefixed = std::make_unique<PrefixedReporter>(reporter, variant.variant);
    auto& out = prefixed ? *prefixed : reporter;
    try {
      statuses[i] = stage(variant, out);
    } catch (const process::Interrupted&) {
      throw;
    } catch (const std::exception& e) {
      failed[i] = variant.variant;
      statuses[i] = 1;
      out.fail(fmt::format("error: {}", e.what()));
    }
  });
  std::vector<std::string> names;
  for (const auto& name : failed) {
    if (!name.empty()) names.push_back(name);
  }
  if (!names.empty()) {
    throw UserError(fmt::format("{} of {} variants of {} failed: {}", names.size(),
                                pipelines.size(), pipelines.front().name, fmt::join(names, ", ")));
  }
  for (const auto status : statuses) {
    if (status != 0) return status;
  }
  return 0;
}

}  // namespace dp::stages
