add_docker_pipeline(demo CONTEXT context BUILD_ARGS "BUILD_TYPE=$<CONFIG>")
