add_docker_pipeline(demo
  CONTEXT    context
  DOCKERFILE matrix.Dockerfile
  MATRIX     BASE_IMAGE docker-pipeline/python3:bullseye localhost:5000/Team/Python3.13 "3.9 slim")
