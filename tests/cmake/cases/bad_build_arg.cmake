add_docker_pipeline(demo CONTEXT context BUILD_ARGS NOEQUALS)
