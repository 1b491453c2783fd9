add_docker_pipeline(demo CONTEXT context PUSH team/demo)
