add_docker_pipeline(demo CONTEXT context VERSION 1.0 VERSION_FROM GIT)
