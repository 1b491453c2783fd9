add_docker_pipeline(demo CONTEXT context TEST_TIMEOUT 10m)
