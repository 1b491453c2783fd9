add_docker_pipeline(demo CONTEXT context BUILD_ARGS ARG_VERSION=1.0)
