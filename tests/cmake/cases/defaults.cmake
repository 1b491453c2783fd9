add_docker_pipeline(Demo)
