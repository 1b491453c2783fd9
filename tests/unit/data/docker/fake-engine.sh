#!/bin/sh
# A container engine client for tests that builds nothing: images are files under state/ beside it
# (image inspect, tag, build keeping the context it reads from stdin and making a new id); every
# call is logged to state/log. The unit tests and the package tests' consumers
# (DOCKER_PIPELINE_ENGINE=<this file>) use it.
state=$(dirname "$0")/state
mkdir -p "$state/images"
echo "$*" >> "$state/log"
name() { echo "$1" | tr '/:' '__'; }
case "$1" in
  version) echo "28.2.2 28.2.2" ;;
  buildx) echo "docker: unknown command: docker buildx" >&2; exit 1 ;;
  image)
    f="$state/images/$(name "$5")"
    if [ -f "$f" ]; then cat "$f"; else echo "Error: No such image: $5" >&2; exit 1; fi ;;
  tag)
    cp "$state/images/$(name "$2")" "$state/images/$(name "$3")" ;;
  build)
    cat > "$state/context.tar"
    n=$(( $(cat "$state/count" 2>/dev/null || echo 0) + 1 )); echo $n > "$state/count"
    id="sha256:$(printf '%064d' $n)"
    echo "$id" > "$state/images/$(name "$id")"
    while [ $# -gt 0 ]; do
      case "$1" in
        --iidfile) printf %s "$id" > "$2"; shift ;;
        --tag) echo "$id" > "$state/images/$(name "$2")"; shift ;;
      esac
      shift
    done ;;
  *) echo "fake engine: unexpected command: $*" >&2; exit 1 ;;
esac
