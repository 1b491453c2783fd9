#include "stages/verify/verify_container.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "version/pep440.hpp"

namespace dp::stages {

std::string_view interpreter_probe() {
  return R"(import json, os, platform, sys
try:
    libc = os.confstr("CS_GNU_LIBC_VERSION") or ""
except (ValueError, OSError):
    libc = ""
print(json.dumps({"python": platform.python_version(), "implementation": sys.implementation.name,
                  "glibc": libc[6:] if libc.startswith("glibc ") else "",
                  "machine": platform.machine()}))
)";
}

pypi::Interpreter parse_interpreter(std::string_view output, std::string_view image) {
  // The last line that is a JSON object: an image's entrypoint may print before it.
  std::size_t end = output.size();
  while (end > 0) {
    const auto start = output.rfind('\n', end - 1);
    const auto from = start == std::string_view::npos ? 0 : start + 1;
    const auto line = output.substr(from, end - from);
    end = from == 0 ? 0 : from - 1;
    if (!line.starts_with('{')) continue;
    try {
      const auto root = nlohmann::json::parse(line);
      pypi::Interpreter in;
      in.implementation = root.at("implementation").get<std::string>();
      in.glibc = root.at("glibc").get<std::string>();
      in.machine = root.at("machine").get<std::string>();
      const auto python = version::parse(root.at("python").get<std::string>());
      if (python.release.size() < 2) continue;
      in.major = static_cast<int>(python.release[0]);
      in.minor = static_cast<int>(python.release[1]);
      in.version = root.at("python").get<std::string>();
      return in;
    } catch (const std::exception&) {
      continue;
    }
  }
  const auto shown = output.substr(0, 200);
  throw UserError(fmt::format(
      "verify image {} has no working python3 (it printed: {}); a verify image needs python3 "
      "with venv",
      image, shown.empty() ? "nothing" : shown));
}

std::string_view verify_script() {
  return R"(# docker-pipeline verify: installs each dist of DP_VERIFY_INSTALLS into a venv of its own
# and runs the verify command ("$@") from /dp-verify/files, which holds no source of the package.
set -u
links="--find-links /dp-verify/dists"
if [ -d /dp-verify/wheelhouse ]; then links="$links --find-links /dp-verify/wheelhouse"; fi
isolation=""
if [ "$DP_VERIFY_BUILD_ISOLATION" = 0 ]; then isolation="--no-build-isolation"; fi
n=0
status=0
for dist in $DP_VERIFY_INSTALLS; do
  n=$((n + 1))
  venv=/dp-verify/venv-$n
  echo "docker-pipeline verify: installing $dist"
  # The image's own packages (pytest from Debian, say) stay visible; the package is the venv's.
  # The image's pip, run by the venv's python, installs into the venv: ensurepip only without one.
  python3 -m venv --system-site-packages --without-pip "$venv" || exit 199
  if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    "$venv/bin/python" -m ensurepip --default-pip >/dev/null || exit 199
  fi
  # shellcheck disable=SC2086
  "$venv/bin/python" -m pip install --no-index --disable-pip-version-check --no-warn-script-location \
    --quiet $links $isolation "/dp-verify/dists/$dist" || exit 199
  echo "docker-pipeline verify: testing $dist: $*"
  (cd /dp-verify/files && PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv" "$@") || status=$?
  [ "$status" = 0 ] || exit "$status"
done
exit 0
)";
}

}  // namespace dp::stages
