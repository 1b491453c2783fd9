add_docker_pipeline(demo CONTEXT context DOCKERFILE matrix.Dockerfile MATRIX BASE_IMAGE)
