#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/errors.hpp"

namespace dp::docker {

class ContextError : public UserError {
 public:
  using UserError::UserError;
};

// What `docker build -` receives: the files of `root` as its .dockerignore filters them, with some
// files' content replaced in the stream only (the stamped version), never on disk.
struct BuildContext {
  std::filesystem::path root;
  // Absolute folders left out even without a .dockerignore line (the CMake binary dir, say).
  std::vector<std::filesystem::path> excluded_dirs;
  // Relative path ('/' separators) -> the content sent instead of the file's.
  std::map<std::string, std::string> replacements;
  // Relative paths sent whatever .dockerignore says, as docker does for the Dockerfile and
  // .dockerignore itself.
  std::vector<std::string> always_sent;
  // Folders from outside `root` sent under a context path ('/' separators) whatever .dockerignore
  // says, such as the WHEELHOUSE under kWheelhouseInContext. A context that holds that path itself
  // is a ContextError.
  std::map<std::string, std::filesystem::path> added_dirs;
};

// Where the build context holds a pipeline's WHEELHOUSE.
inline constexpr const char* kWheelhouseInContext = ".docker-pipeline/wheelhouse";

// The relative paths of the regular files and links the context sends, sorted.
std::vector<std::string> list_context_files(const BuildContext& context);

// Everything the context sends, folders included, sorted by relative path.
struct ContextEntry {
  std::string relative;  // '/' separators
  std::filesystem::path absolute;
};
std::vector<ContextEntry> list_context_entries(const BuildContext& context);

// Writes the context as a tar stream to `fd`.
void write_context_tar(int fd, const BuildContext& context);

}  // namespace dp::docker
