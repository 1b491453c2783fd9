add_docker_pipeline(demo CONTEXT no-such-dir)
