include("${CMAKE_CURRENT_LIST_DIR}/expect_json.cmake")
file(READ "${BINARY_DIR}/demo.pipeline.json" json)
expect_json("${json}" "BASE_IMAGE" matrix build_arg)
# A tag names the variant, else the last '/' part, lower case, other characters made '-'.
expect_json("${json}" "bullseye" matrix variants 0 name)
expect_json("${json}" "docker-pipeline/python3:bullseye" matrix variants 0 value)
expect_json("${json}" "python3.13" matrix variants 1 name)
expect_json("${json}" "3.9-slim" matrix variants 2 name)
