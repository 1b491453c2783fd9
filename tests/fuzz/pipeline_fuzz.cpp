// Fuzz target over the pipeline file (<name>.pipeline.json): the module writes it, but a user may
// edit it by hand or an older module may have written it. load() throws only PipelineError (or
// another UserError of what it reads: a version source, a secret), and a loaded pipeline expands
// into its matrix variants.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pipeline/matrix.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/version_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dp::pipeline;
  const auto text = dp::fuzz::as_text(data, size);
  const auto file = dp::fuzz::scratch().write("demo.pipeline.json", text);
  Pipeline pipeline;
  if (!dp::fuzz::accepts([&] { pipeline = load(file, [](std::string_view) {}); })) return 0;
  describe(pipeline.version);
  std::vector<Pipeline> variants;
  if (dp::fuzz::accepts([&] { variants = expand_matrix(pipeline); })) {
    for (const auto& variant : variants) variant.image_tag("1.0");
  }
  return 0;
}
