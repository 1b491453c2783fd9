add_docker_pipeline(demo CONTEXT context SECRETS pypirc=~/.pypirc)
