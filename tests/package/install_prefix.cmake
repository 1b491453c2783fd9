# cmake --install <build dir> --prefix <prefix> into an empty prefix, then checks the layout:
#   cmake -DBUILD_DIR=<dir> -DPREFIX=<prefix> -DCONFIG=<config> -DBINDIR=<bindir> -DLIBDIR=<libdir>
#         -DDATADIR=<datadir> -P install_prefix.cmake
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${PREFIX}")
set(config_args)
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" ${config_args}
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed:\n${output}")
endif()
include("${CMAKE_CURRENT_LIST_DIR}/check_layout.cmake")
check_layout("${PREFIX}")
message(STATUS "installed into ${PREFIX}")
