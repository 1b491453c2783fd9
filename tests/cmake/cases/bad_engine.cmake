add_docker_pipeline(demo CONTEXT context ENGINE rkt)
