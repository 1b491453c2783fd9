#include "stages/test/dist_merge.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/errors.hpp"
#include "digest/digest.hpp"
#include "pypi/dist/dist_names.hpp"
#include "stages/test/test_record.hpp"
#include "text/file.hpp"

namespace dp::stages {
namespace {

namespace fs = std::filesystem;

// One file name's dist: where the first variant that made it has it, and who made it.
struct Source {
  fs::path path;
  std::string sha256;
  std::vector<std::string> variants;
};

std::string sha256_of(const fs::path& file) {
  return digest::hex_of_file(digest::Algorithm::sha256, file);
}

// Removes the dists of `folder` that are not `kept` (the upload journal and the like stay).
void remove_other_dists(const fs::path& folder, const std::set<std::string>& kept) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const auto name = entry.path().filename().string();
    if (pypi::dist_kind_of(name) && !kept.contains(name)) fs::remove(entry.path());
  }
}

}  // namespace

std::vector<std::string> merge_variant_dists(const std::vector<pipeline::Pipeline>& variants,
                                             const fs::path& into, Reporter& reporter) {
  std::vector<std::string> names;
  std::map<std::string, Source> sources;
  for (const auto& variant : variants) {
    const auto record = docker::read_test_record(variant.test_record());
    if (!record) continue;
    for (const auto& name : record->dists) {
      const auto path = variant.dist_out_dir() / name;
      const auto sha256 = sha256_of(path);
      const auto [it, added] = sources.emplace(name, Source{path, sha256, {}});
      if (added) names.push_back(name);
      if (it->second.sha256 != sha256) {
        remove_other_dists(into, {});  // what an earlier run merged must not be published now
        throw UserError(fmt::format(
            "{} differs between the variants {} (sha256 {}) and {} (sha256 {}): a file of one name "
            "must have the same bytes in every variant; build it in one variant only (the "
            "Dockerfile's ARG ARG_VARIANT names it) or reproducibly (ARG SOURCE_DATE_EPOCH)",
            name, it->second.variants.front(), it->second.sha256.substr(0, 12), variant.variant,
            sha256.substr(0, 12)));
      }
      it->second.variants.push_back(variant.variant);
    }
  }

  fs::create_directories(into);
  remove_other_dists(into, std::set<std::string>(names.begin(), names.end()));
  for (const auto& name : names) {
    const auto& source = sources.at(name);
    const auto target = into / name;
    if (fs::exists(target) && fs::file_size(target) == fs::file_size(source.path) &&
        sha256_of(target) == source.sha256) {
      continue;
    }
    const auto partial = into / ("." + name + ".partial");
    fs::copy_file(source.path, partial, fs::copy_options::overwrite_existing);
    text::move_into_place(partial, target);
  }
  reporter.say(fmt::format("dists of the {} variants in {}:", variants.size(), into.string()));
  for (const auto& name : names) {
    reporter.say(fmt::format("  {} (from {})", name, fmt::join(sources.at(name).variants, ", ")));
  }
  return names;
}

}  // namespace dp::stages
