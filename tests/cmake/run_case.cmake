# Configures the consumer project with one case from scratch and checks the outcome.
#   cmake -DCASE=<case> -DBINARY_DIR=<dir> -DPACKAGE_DIR=<DockerPipeline build dir>
#         -DGENERATOR=<generator> -DHELPER=<docker-pipeline> [-DEXPECT_ERROR=<regex>]
#         [-DEXTRA_ARGS=<args>] -P run_case.cmake
# After a successful configure, the helper validates every pipeline file the case wrote, so the
# module's checks and the helper's cannot drift apart. A case may have cases/<case>.check.cmake,
# run after that with BINARY_DIR set.
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

if(NOT EXISTS "${HELPER}")
  message(FATAL_ERROR "case ${CASE}: HELPER '${HELPER}' does not exist; build docker-pipeline first")
endif()
file(GLOB_RECURSE pipeline_files "${BINARY_DIR}/*.pipeline.json")
if(NOT pipeline_files)
  message(FATAL_ERROR "case ${CASE}: configure wrote no *.pipeline.json in ${BINARY_DIR}")
endif()
foreach(pipeline_file IN LISTS pipeline_files)
  execute_process(COMMAND "${HELPER}" validate --pipeline "${pipeline_file}"
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "case ${CASE}: the module wrote a pipeline file the helper refuses:\n${output}")
  endif()
  string(STRIP "${output}" output)
  message(STATUS "case ${CASE}: ${output}")
endforeach()
if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/cases/${CASE}.check.cmake")
  include("${CMAKE_CURRENT_LIST_DIR}/cases/${CASE}.check.cmake")
endif()
message(STATUS "case ${CASE}: passed")
