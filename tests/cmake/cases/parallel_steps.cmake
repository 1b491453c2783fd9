add_docker_pipeline(one CONTEXT context)
add_docker_pipeline(two CONTEXT context)
