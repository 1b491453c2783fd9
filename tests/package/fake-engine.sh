#!/bin/sh
# A container engine client that builds nothing: the consumers' <name>-image targets run the real
# helper against it (DOCKER_PIPELINE_ENGINE=<this file>), so no Docker build happens in these tests.
# Images are files under state/ beside it; every call is logged to state/log.
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
    id="sha256:$(printf '%064d' 1)"
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
