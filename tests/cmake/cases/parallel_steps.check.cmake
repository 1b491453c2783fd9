include("${CMAKE_CURRENT_LIST_DIR}/expect_json.cmake")
# Without the terminal, no pipeline step sits in Ninja's one-at-a-time console pool.
file(READ "${BINARY_DIR}/build.ninja" ninja)
string(REGEX MATCHALL "build CMakeFiles/(one|two)-(image|test|publish)[^\n]*\n([^\n]+\n)*" steps "${ninja}")
list(LENGTH steps count)
if(NOT count EQUAL 6)
  message(FATAL_ERROR "case ${CASE}: expected 6 pipeline steps in build.ninja, found ${count}")
endif()
if(steps MATCHES "pool = console")
  message(FATAL_ERROR "case ${CASE}: a step uses the console pool:\n${steps}")
endif()

# And the two image steps really run at the same time (the engine fails a build that runs alone).
file(COPY "${CMAKE_CURRENT_LIST_DIR}/../overlap-engine.sh" DESTINATION "${BINARY_DIR}/engine")
set(ENV{DOCKER_PIPELINE_ENGINE} "${BINARY_DIR}/engine/overlap-engine.sh")
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target docker-images -j 2
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "case ${CASE}: the pipelines' image steps did not run in parallel:\n${output}")
endif()
