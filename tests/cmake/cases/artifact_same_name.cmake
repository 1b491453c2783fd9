add_docker_pipeline(demo CONTEXT context ARTIFACTS /src/reports /tmp/reports/)
