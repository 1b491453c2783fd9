string(REPEAT a 256 image)
add_docker_pipeline(demo CONTEXT context IMAGE ${image})
