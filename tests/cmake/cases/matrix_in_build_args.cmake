add_docker_pipeline(demo CONTEXT context DOCKERFILE matrix.Dockerfile BUILD_ARGS BASE_IMAGE=x MATRIX BASE_IMAGE a:1 a:2)
