add_docker_pipeline(demo CONTEXT context SECRETS id=token,src=/run/token,env=TOKEN)
