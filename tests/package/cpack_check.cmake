# cpack -G <TGZ|DEB> from the build tree into a scratch dir, then checks the package:
#   TGZ: the archive unpacked holds the installed layout, and is a prefix (moved from where it was
#        built) in which a consumer finds the package and runs the helper;
#   DEB: its name, fields (section, maintainer, dependencies read by dpkg-shlibdeps) and files.
#   cmake -DGENERATOR=<TGZ|DEB> -DBUILD_DIR=<dir> -DCONFIG=<config> -DBINARY_DIR=<scratch dir>
#         -DVERSION=<version> -DBINDIR=<bindir> -DLIBDIR=<libdir> -DDATADIR=<datadir>
#         [-DSOURCE_DIR=<sources>] -P cpack_check.cmake
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${BINARY_DIR}")
get_filename_component(cmake_bin_dir "${CMAKE_COMMAND}" DIRECTORY)
set(cpack "${cmake_bin_dir}/cpack")
set(config_args)
if(CONFIG)
  set(config_args -C "${CONFIG}")
endif()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${what} failed (${result}):\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

run("cpack -G ${GENERATOR}" "${cpack}" -G ${GENERATOR} --config "${BUILD_DIR}/CPackConfig.cmake"
  -B "${BINARY_DIR}" ${config_args})

if(GENERATOR STREQUAL "TGZ")
  file(GLOB archive "${BINARY_DIR}/docker-pipeline-${VERSION}-*.tar.gz")
  list(LENGTH archive count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "expected one docker-pipeline-${VERSION}-*.tar.gz, got '${archive}':\n${output}")
  endif()
  file(ARCHIVE_EXTRACT INPUT "${archive}" DESTINATION "${BINARY_DIR}/unpacked")
  file(GLOB prefix "${BINARY_DIR}/unpacked/*")
  include("${CMAKE_CURRENT_LIST_DIR}/check_layout.cmake")
  check_layout("${prefix}")
  # Moved: the package must be relocatable.
  file(RENAME "${prefix}" "${BINARY_DIR}/moved")
  run("a consumer of the unpacked TGZ" "${CMAKE_COMMAND}" -DWAY=package -DGENERATOR=Ninja
    "-DBINARY_DIR=${BINARY_DIR}/consumer" "-DSOURCE_DIR=${SOURCE_DIR}" "-DVERSION=${VERSION}"
    "-DPACKAGE_DIR=${BINARY_DIR}/moved" "-DLIBDIR=${LIBDIR}"
    -P "${CMAKE_CURRENT_LIST_DIR}/run_consumer.cmake")
  message(STATUS "${archive}: unpacked, moved and consumed\n${output}")
  return()
endif()

file(GLOB deb "${BINARY_DIR}/docker-pipeline_${VERSION}_*.deb")
list(LENGTH deb count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one docker-pipeline_${VERSION}_*.deb, got '${deb}':\n${output}")
endif()
run("dpkg-deb --info" dpkg-deb --info "${deb}")
set(info "${output}")
foreach(field IN ITEMS "Package: docker-pipeline" "Version: ${VERSION}" "Section: devel"
    "Maintainer: [^\n]+@" "Description: [^\n]*Python package through Docker" "Depends: [^\n]*libc6"
    "Depends: [^\n]*libcurl" "Depends: [^\n]*libarchive" "Depends: [^\n]*libssl" "Recommends: cmake")
  if(NOT info MATCHES "\n *${field}")
    message(FATAL_ERROR "${deb}: no field matching '${field}':\n${info}")
  endif()
endforeach()
run("dpkg-deb --contents" dpkg-deb --contents "${deb}")
foreach(file IN ITEMS "./usr/${BINDIR}/docker-pipeline"
    "./usr/${LIBDIR}/cmake/DockerPipeline/DockerPipelineConfig.cmake"
    "./usr/${LIBDIR}/cmake/DockerPipeline/DockerPipelineConfigVersion.cmake"
    "./usr/${DATADIR}/DockerPipeline/cmake/DockerPipeline.cmake")
  string(FIND "${output}" " ${file}\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${deb}: ${file} is not in the package:\n${output}")
  endif()
endforeach()
message(STATUS "${deb}:\n${info}")
