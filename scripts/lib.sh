# Shared by the scripts in this folder; sourced, not run.
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# The venv holding pypiserver and twine (override with DOCKER_PIPELINE_VENV).
venv_dir() { echo "${DOCKER_PIPELINE_VENV:-$repo_root/.venv}"; }

# The local base image the example project and the tests build FROM.
base_image() { echo "${DOCKER_PIPELINE_BASE_IMAGE:-docker-pipeline/python3:bookworm}"; }

# Configures and builds the helper and its tests in $1, with more cmake arguments after it.
build_helper() {
  local dir=$1
  shift
  cmake -S "$repo_root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DDOCKER_PIPELINE_WERROR=ON -DDOCKER_PIPELINE_TEST_PYTHON="$(venv_dir)/bin/python" "$@" >/dev/null
  cmake --build "$dir"
}
