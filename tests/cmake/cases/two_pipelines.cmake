add_docker_pipeline(first CONTEXT context)
add_docker_pipeline(second CONTEXT context IMAGE other)
