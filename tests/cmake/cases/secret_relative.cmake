add_docker_pipeline(demo CONTEXT context SECRETS id=pypirc,source=context/pypirc id=token,env=TOKEN)
