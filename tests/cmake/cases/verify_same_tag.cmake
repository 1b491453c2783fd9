add_docker_pipeline(demo CONTEXT context TEST_COMMAND pytest DIST_DIR /src/dist VERIFY_IMAGES a/python:3.9 b/python:3.9)
