add_docker_pipeline(demo
  CONTEXT        context
  TEST_COMMAND   python3 -m pytest -q tests
  DIST_DIR       /src/dist
  VERIFY_IMAGES  docker-pipeline/python3:bullseye localhost:5000/python:3.13-slim
  VERIFY_COMMAND python3 -m pytest -q --junitxml=/tmp/junit.xml tests
  VERIFY_FILES   setup.py pkg
  VERIFY_SDIST   OFF
  WHEELHOUSE     context/pkg)
