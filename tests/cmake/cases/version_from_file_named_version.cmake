add_docker_pipeline(demo CONTEXT context VERSION_FROM FILE VERSION)
