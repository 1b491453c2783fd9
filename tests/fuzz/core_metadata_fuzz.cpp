// Fuzz target over core metadata (METADATA, PKG-INFO; WHEEL files share the format): the RFC 822
// style headers and the description body, the checks made on them before an upload (known
// fields, Metadata-Version, name and version against the file name, the description as twine
// check renders it, rst included) and the upload form built from them. The first byte picks the
// dist the metadata belongs to (wheel or sdist), the rest is the file. Nothing throws; the
// checks report.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pypi/check/description_check.hpp"
#include "pypi/check/dist_check.hpp"
#include "pypi/dist/core_metadata.hpp"
#include "pypi/dist/distribution.hpp"
#include "pypi/dist/metadata_fields.hpp"
#include "pypi/upload/upload_form.hpp"

namespace {

using namespace dp::pypi;
using dp::fuzz::accepts;
using dp::fuzz::check;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto input = dp::fuzz::as_text(data, size);
  const bool wheel = (static_cast<unsigned char>(input[0]) & 1) == 0;

  Distribution distribution;
  distribution.metadata = parse_core_metadata(input.substr(1));
  const auto& metadata = distribution.metadata;
  for (const auto& field : metadata.fields) {
    check(metadata.first(field.name).has_value(), "a header read is not found by its name");
    metadata_field(field.name);
    form_name_of(field.name);
  }
  is_published_metadata_version(distribution.metadata_version());
  metadata.description();
  check_description(metadata);

  distribution.kind = wheel ? DistKind::wheel : DistKind::sdist_tar_gz;
  distribution.path = wheel ? "dist/demo-1.0-py3-none-any.whl" : "dist/demo-1.0.tar.gz";
  distribution.filetype = wheel ? "bdist_wheel" : "sdist";
  distribution.pyversion = wheel ? "py3" : "source";
  distribution.metadata_path = wheel ? "demo-1.0.dist-info/METADATA" : "demo-1.0/PKG-INFO";
  check_distribution(distribution);
  check_uploadable(distribution);
  accepts([&] { upload_form_fields(distribution, std::nullopt); });
  return 0;
}
