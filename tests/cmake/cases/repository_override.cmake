add_docker_pipeline(demo CONTEXT context REPOSITORY testpypi)
