add_docker_pipeline(demo CONTEXT context DOCKERFILE matrix.Dockerfile MATRIX ARG_VERSION 1 2)
