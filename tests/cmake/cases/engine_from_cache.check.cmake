include("${CMAKE_CURRENT_LIST_DIR}/expect_json.cmake")
file(READ "${BINARY_DIR}/demo.pipeline.json" json)
expect_json("${json}" "docker" engine)
expect_json("${json}" "ON" force)
