add_docker_pipeline(demo CONTEXT context)
add_docker_pipeline(demo CONTEXT context)
