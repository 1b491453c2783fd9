add_docker_pipeline(demo CONTEXT context TRUSTED_PUBLISHING always)
