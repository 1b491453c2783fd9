add_docker_pipeline(demo CONTEXT context TEST_COMMAND pytest DIST_DIR /src/dist VERIFY_IMAGES python:3.9 VERIFY_FILES no-tests)
