add_docker_pipeline(demo CONTEXT context DOCKERFILE Missing.Dockerfile)
