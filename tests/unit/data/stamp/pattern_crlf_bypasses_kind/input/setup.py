# project(pydemo VERSION 1.0.0) mirrors CMakeLists.txt
setup(version="7")
