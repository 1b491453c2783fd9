add_docker_pipeline(demo CONTEXT context DOCKERFILE matrix.Dockerfile MATRIX BASE_IMAGE a/python:3.9 b/python:3.9)
