#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docker/dockerfile.hpp"

namespace dp::docker {

// An image a build starts from (FROM) or copies from (COPY --from=<image>), as the builder will
// ask for it: the global ARGs and the build's args substituted.
struct BaseImage {
  std::string reference;
  int line = 0;             // where the Dockerfile names it
  std::string instruction;  // "FROM ${BASE_IMAGE}", as written, for messages
};

// `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alternative}` (also without the colon)
// replaced from `variables`; an unset name is empty, as the builder does it.
std::string expand_variables(std::string_view text,
                             const std::map<std::string, std::string>& variables);

// The images the Dockerfile needs from the image store, in order, each once: `scratch` and
// references to earlier stages (by name or index) are not images. ARGs before the first FROM
// are the only variables a FROM sees; a build arg overrides their default.
std::vector<BaseImage> base_images(
    const std::vector<Instruction>& instructions,
    const std::vector<std::pair<std::string, std::string>>& build_args);

}  // namespace dp::docker
