add_docker_pipeline(app CONTEXT context DEPENDS nothing-like-it)
