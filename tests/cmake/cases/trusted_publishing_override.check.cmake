include("${CMAKE_CURRENT_LIST_DIR}/expect_json.cmake")
file(READ "${BINARY_DIR}/demo.pipeline.json" json)
expect_json("${json}" "never" trusted_publishing)
