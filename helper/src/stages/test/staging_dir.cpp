#include "stages/test/staging_dir.hpp"

#include <fmt/core.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <system_error>

#include "stages/test/test_leftovers.hpp"
#include "text/file.hpp"
#include "text/text.hpp"

namespace dp::docker {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStagingPrefix = ".staging-";
constexpr const char* kStagingOwnerFile = "owner";

}  // namespace

StagingDir::StagingDir(const fs::path& parent) {
  fs::create_directories(parent);
  std::string pattern = (parent / fmt::format("{}XXXXXX", kStagingPrefix)).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(),
                            fmt::format("creating a staging folder in {}", parent.string()));
  }
  path_ = pattern;
  std::ofstream(path_ / kStagingOwnerFile) << format_owner(current_owner()) << '\n';
}

StagingDir::~StagingDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::vector<fs::path> remove_stale_staging(const fs::path& parent) {
  const auto self = current_owner();
  std::vector<fs::path> stale;
  std::error_code error;
  for (fs::directory_iterator it(parent, error), end; !error && it != end; it.increment(error)) {
    const auto& folder = it->path();
    if (!folder.filename().string().starts_with(kStagingPrefix)) continue;
    // No owner file: not ours, or its helper was killed before it could say who it is.
    const auto owner = text::read_file(folder / kStagingOwnerFile);
    if (owner && owner_state(parse_owner(text::trim(*owner)), self) == OwnerState::gone) {
      stale.push_back(folder);
    }
  }
  std::erase_if(stale, [](const fs::path& folder) {
    std::error_code removing;
    fs::remove_all(folder, removing);
    return static_cast<bool>(removing);
  });
  return stale;
}

}  // namespace dp::docker
