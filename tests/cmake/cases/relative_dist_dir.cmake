add_docker_pipeline(demo CONTEXT context DIST_DIR dist)
