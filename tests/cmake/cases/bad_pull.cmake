add_docker_pipeline(demo CONTEXT context PULL maybe)
