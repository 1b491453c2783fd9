add_docker_pipeline(demo CONTEXT context VERSION_FROM GIT NO_LOCAL TAG_REGEX "^release-(.*)$")
