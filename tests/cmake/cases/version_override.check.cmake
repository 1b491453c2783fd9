include("${CMAKE_CURRENT_LIST_DIR}/expect_json.cmake")
file(READ "${BINARY_DIR}/demo.pipeline.json" json)
expect_json("${json}" "2.0rc1" version)
