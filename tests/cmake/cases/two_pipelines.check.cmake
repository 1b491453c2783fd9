include("${CMAKE_CURRENT_LIST_DIR}/expect_json.cmake")
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target help
  OUTPUT_VARIABLE targets ERROR_VARIABLE targets)
expect_output_lists("${targets}" first-image first-publish second-image second-publish publish)
