string(REPEAT a 256 name)
add_docker_pipeline(${name} CONTEXT context)
