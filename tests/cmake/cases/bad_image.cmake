add_docker_pipeline(demo CONTEXT context IMAGE Not:Valid)
