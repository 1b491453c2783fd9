ARG BASE_IMAGE=docker-pipeline/python3:bookworm
FROM ${BASE_IMAGE}
ARG ARG_VERSION
COPY . /src
