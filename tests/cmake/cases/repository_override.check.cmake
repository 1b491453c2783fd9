include("${CMAKE_CURRENT_LIST_DIR}/expect_json.cmake")
file(READ "${BINARY_DIR}/demo.pipeline.json" json)
expect_json("${json}" "http://127.0.0.1:8080/" repository)
