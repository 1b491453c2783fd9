# Configures the consumer project with one case from scratch and checks the outcome.
#   cmake -DCASE=<case> -DBINARY_DIR=<dir> -DPACKAGE_DIR=<DockerPipeline build dir>
#         -DGENERATOR=<generator> [-DEXPECT_ERROR=<regex>] [-DEXTRA_ARGS=<args>] -P run_case.cmake
# A case may have cases/<case>.check.cmake, run after a successful configure with BINARY_DIR set.
file(REMOVE_RECURSE "${BINARY_DIR}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}/consumer" -B "${BINARY_DIR}"
          -G "${GENERATOR}" -DCASE=${CASE} "-DDockerPipeline_DIR=${PACKAGE_DIR}" ${EXTRA_ARGS}
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)

if(DEFINED EXPECT_ERROR)
  if(result EQUAL 0)
    message(FATAL_ERROR "case ${CASE}: configure succeeded, expected an error matching '${EXPECT_ERROR}'\n${output}")
  endif()
  # CMake wraps long messages; compare with the line breaks taken out.
  string(REGEX REPLACE "[ \t\r\n]+" " " flat_output "${output}")
  if(NOT flat_output MATCHES "${EXPECT_ERROR}")
    message(FATAL_ERROR "case ${CASE}: the error does not match '${EXPECT_ERROR}':\n${output}")
  endif()
  message(STATUS "case ${CASE}: failed as expected")
  return()
endif()

if(NOT result EQUAL 0)
  message(FATAL_ERROR "case ${CASE}: configure failed:\n${output}")
endif()
if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/cases/${CASE}.check.cmake")
  include("${CMAKE_CURRENT_LIST_DIR}/cases/${CASE}.check.cmake")
endif()
message(STATUS "case ${CASE}: passed")
