#!/bin/sh
# A container engine client whose builds succeed only when another build runs at the same time:
# two pipelines' image steps pass only if the build runs them in parallel. Every image exists.
state=$(dirname "$0")/state
mkdir -p "$state"
case "$1" in
  version) echo "28.2.2 28.2.2" ;;
  buildx) exit 1 ;;
  image) echo "sha256:$(printf '%064d' 7)" ;;
  tag) ;;
  build)
    cat > /dev/null
    touch "$state/started.$$"
    waited=0
    while [ "$(ls "$state" | grep -c '^started\.')" -lt 2 ]; do
      if [ "$waited" -ge 100 ]; then
        echo "overlap-engine: no other build started within 10 s: the builds ran one at a time" >&2
        exit 1
      fi
      sleep 0.1
      waited=$((waited + 1))
    done
    while [ $# -gt 0 ]; do
      if [ "$1" = --iidfile ]; then printf 'sha256:%064d' $$ > "$2"; fi
      shift
    done ;;
  *) echo "overlap-engine: unexpected command: $*" >&2; exit 1 ;;
esac
