add_docker_pipeline(demo CONTEXT context TEST_ENV NOEQUALS)
