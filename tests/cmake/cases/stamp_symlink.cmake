# A STAMP file that is a symbolic link: the helper stamps only regular files of the context.
set(context "${CMAKE_CURRENT_BINARY_DIR}/symlink-context")
file(WRITE "${context}/Dockerfile" "FROM scratch\n")
file(WRITE "${context}/setup.py" "from setuptools import setup\nsetup(version='0.0.1')\n")
file(CREATE_LINK setup.py "${context}/link.py" SYMBOLIC)
add_docker_pipeline(demo CONTEXT "${context}" STAMP link.py)
