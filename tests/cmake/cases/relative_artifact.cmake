add_docker_pipeline(demo CONTEXT context ARTIFACTS reports)
