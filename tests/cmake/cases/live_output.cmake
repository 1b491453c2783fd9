add_docker_pipeline(one CONTEXT context)
