# Shared by the scripts in this folder; sourced, not run.
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# The venv holding pypiserver and twine (override with DOCKER_PIPELINE_VENV).
venv_dir() { echo "${DOCKER_PIPELINE_VENV:-$repo_root/.venv}"; }

# The local base image of a Debian suite (scripts/make-base-image makes it).
base_image_of() { echo "docker-pipeline/python3:$1"; }
# The suites whose base images the tests and the demo use: the example builds FROM bookworm's and
# verifies on all three.
base_image_suites=(bookworm bullseye trixie)

# Configures and builds the helper and its tests in $1, with more cmake arguments after it: a
# Release build (what is installed and packaged; debug info made the build a third slower), unless
# the arguments name another CMAKE_BUILD_TYPE. Compiles through ccache when it is installed
# (scripts/setup installs it), with absolute paths: the package tests compile the helper's sources
# again in consumers of their own, with the same commands, and hit what this build put there.
build_helper() {
  local dir=$1
  shift
  local launcher=()
  if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  cmake -S "$repo_root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" \
    -DDOCKER_PIPELINE_WERROR=ON -DDOCKER_PIPELINE_TEST_PYTHON="$(venv_dir)/bin/python" "$@" >/dev/null
  cmake --build "$dir"
}

# "3m07s" for a number of seconds.
duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
