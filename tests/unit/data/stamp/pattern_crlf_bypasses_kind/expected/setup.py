# project(pydemo VERSION 1.0.1) mirrors CMakeLists.txt
setup(version="7")
