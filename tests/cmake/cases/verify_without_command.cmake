add_docker_pipeline(demo CONTEXT context DIST_DIR /src/dist VERIFY_IMAGES python:3.9)
