add_docker_pipeline(demo CONTEXT context VERSION 0.0.2)
