add_docker_pipeline(demo CONTEXT context VERSION_FROM GIT TAG_REGEX)
