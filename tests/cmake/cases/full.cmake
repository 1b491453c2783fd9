add_docker_pipeline(demo
  CONTEXT      context
  DOCKERFILE   Dockerfile
  IMAGE        example/demo
  VERSION      0.0.2
  BUILD_ARGS   ARG_REPO=demo "GREETING=hello world"
  STAMP        setup.py pkg/__init__.py
  TEST_COMMAND python3 -m pytest -q "tests dir" sh -c "true; echo \"quoted\" \\path"
  TEST_ENV     PYTHONHASHSEED=0 "GREETING=hi there"
  TEST_TIMEOUT 600
  ARTIFACTS    /src/reports /tmp/log.txt
  SECRETS      id=pypirc,src=/home/user/.pypirc id=token,env=UPLOAD_TOKEN
  ENGINE       podman
  PULL         ON
  LATEST       ON
  DIST_DIR     /src/dist
  REPOSITORY   testpypi
  PUSH         registry.example:5000/team/demo
  PUSH_LATEST  ON
  TRUSTED_PUBLISHING always
  SKIP_EXISTING ATTESTATIONS)
