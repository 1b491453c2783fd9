#!/bin/sh
# A container engine client for tests that builds nothing: images are files under state/ beside it
# (image inspect, tag, build keeping the context it reads from stdin and making a new id); every
# call is logged to state/log. Its one container runs state/run (a shell script, if present) as
# the test command (or prints state/probe for the verify stage's python3 probe), keeps its exit
# status for inspect, has the files under state/fs, and what is copied into it lands under
# state/in. The unit tests and the package tests' consumers
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
  create) shift; printf '%s\n' "$*" > "$state/created"; echo "fakecontainer0001" ;;
  start)
    status=0
    # The verify stage's interpreter probe (python3 -c <code>) answers state/probe.
    if [ -f "$state/probe" ] && grep -q -- ' -c import json' "$state/created"; then cat "$state/probe"
    elif [ -f "$state/run" ]; then sh "$state/run"; status=$?; fi
    echo $status > "$state/exit"; exit $status ;;
  inspect) cat "$state/exit" ;;
  cp)
    case "$3" in
      fakecontainer0001:*) mkdir -p "$state/in"; cp -R "$2" "$state/in${3#*:}"; exit 0 ;;
    esac
    path=${2#*:}
    if [ -e "$state/cp-fails" ]; then cat "$state/cp-fails" >&2; exit 1; fi
    if [ -e "$state/fs$path" ]; then cp -R "$state/fs$path" "$3"
    else echo "Error: Could not find the file $path in container fakecontainer0001" >&2; exit 1; fi ;;
  ps|rm|kill) ;;
  *) echo "fake engine: unexpected command: $*" >&2; exit 1 ;;
esac
