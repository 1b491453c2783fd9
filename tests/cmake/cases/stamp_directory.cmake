add_docker_pipeline(demo CONTEXT context STAMP pkg)
