add_docker_pipeline(demo CONTEXT context PUSH_LATEST ON)
