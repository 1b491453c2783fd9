# Installs the .deb cpack made into a fresh Debian 12 container, made from a local image (never
# pulled; the .deb reaches it through the build context, no host path is mounted), with
# `apt-get install ./docker-pipeline_*.deb` (its dependencies come from Debian's archive), then
# configures the consumer project there with find_package(DockerPipeline 0.1) and no hints, runs
# the helper through DockerPipeline::docker-pipeline and as `docker-pipeline --version` from PATH.
#   cmake -DDEB_DIR=<dir holding the .deb> -DBINARY_DIR=<scratch dir> -DBASE_IMAGE=<image>
#         -DVERSION=<version> -P deb_in_container.cmake
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${BINARY_DIR}")
set(context "${BINARY_DIR}/context")
file(GLOB deb "${DEB_DIR}/docker-pipeline_${VERSION}_*.deb")
list(LENGTH deb count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one docker-pipeline_${VERSION}_*.deb in ${DEB_DIR}, got '${deb}'")
endif()
file(COPY "${deb}" DESTINATION "${context}")
file(COPY "${CMAKE_CURRENT_LIST_DIR}/consumer" DESTINATION "${context}")
# cmake and make in a layer of their own, which stays cached between runs; the .deb in the next.
file(WRITE "${context}/Dockerfile" "FROM ${BASE_IMAGE}
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends cmake make >/dev/null
WORKDIR /tmp
COPY docker-pipeline_*.deb /tmp/
RUN apt-get update -qq && apt-get install -y --no-install-recommends ./docker-pipeline_*.deb
COPY consumer /consumer
")
set(image "dp-package-test/deb:${VERSION}")
# The classic builder works with every docker client here (BuildKit needs a buildx plugin that the
# newest client may lack).
set(ENV{DOCKER_BUILDKIT} 0)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    execute_process(COMMAND docker rmi -f "${image}" OUTPUT_QUIET ERROR_QUIET)
    message(FATAL_ERROR "${what} failed (${result}):\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

run("docker build" docker build --pull=false -t "${image}" "${context}")
set(script [[
set -eu
echo "docker-pipeline in PATH: $(command -v docker-pipeline)"
docker-pipeline --version
cmake -S /consumer -B /tmp/consumer -G "Unix Makefiles" -DWAY=package -DEXPECTED_VERSION=@VERSION@
grep '^DockerPipeline_DIR:' /tmp/consumer/CMakeCache.txt
test -f /tmp/consumer/demo.pipeline.json || ls /tmp/consumer/*/demo.pipeline.json
ctest --test-dir /tmp/consumer -R '^helper-version$' --output-on-failure
]])
string(REPLACE "@VERSION@" "${VERSION}" script "${script}")
run("the consumer in the container" docker run --rm "${image}" sh -c "${script}")
set(container_output "${output}")
execute_process(COMMAND docker rmi "${image}" OUTPUT_QUIET)
foreach(expected IN ITEMS "docker-pipeline in PATH: /usr/bin/docker-pipeline" "docker-pipeline ${VERSION}"
    "DockerPipeline_DIR:PATH=/usr/lib/cmake/DockerPipeline" "100% tests passed")
  string(FIND "${container_output}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the container's output lacks '${expected}':\n${container_output}")
  endif()
endforeach()
message(STATUS "${deb} installed and consumed in ${BASE_IMAGE}:\n${container_output}")
