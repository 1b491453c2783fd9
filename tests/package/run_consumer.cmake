# Configures and builds the consumer project from scratch with one way of consuming DockerPipeline
# and one generator, then checks what it got:
#   cmake -DWAY=<package|build_tree|fetchcontent|subdirectory> -DGENERATOR=<generator>
#         -DBINARY_DIR=<scratch dir> -DSOURCE_DIR=<DockerPipeline sources> -DVERSION=<its version>
#         [-DPACKAGE_DIR=<install prefix (package) or build dir (build_tree)>]
#         [-DLIBDIR=<the package's CMAKE_INSTALL_LIBDIR, default lib>]
#         [-DREQUESTED_VERSION=<v> -DEXPECT_ERROR=<regex>]     (configure only, expecting failure)
#         [-DCCACHE=<ccache>]   (compiler launcher for the helper's sources)
#         [-DCONFIG=<build type>] [-DWERROR=ON|OFF]   (how the helper's sources are compiled)
#         -P run_consumer.cmake
# The helper must come through DockerPipeline::docker-pipeline: a docker-pipeline first in PATH
# fails whatever runs it. The pipeline's image target runs the real helper against a fake engine,
# so "built" means the helper ran, without a Docker build.
cmake_minimum_required(VERSION 3.25)

file(REMOVE_RECURSE "${BINARY_DIR}")
set(consumer_dir "${BINARY_DIR}/consumer")

file(MAKE_DIRECTORY "${BINARY_DIR}/poison")
file(WRITE "${BINARY_DIR}/poison/docker-pipeline"
  "#!/bin/sh\necho 'docker-pipeline was run from PATH, not through its target' >&2\nexit 97\n")
file(CHMOD "${BINARY_DIR}/poison/docker-pipeline" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
set(ENV{PATH} "${BINARY_DIR}/poison:$ENV{PATH}")

file(COPY "${CMAKE_CURRENT_LIST_DIR}/../unit/data/docker/fake-engine.sh" DESTINATION "${BINARY_DIR}/engine")
set(ENV{DOCKER_PIPELINE_ENGINE} "${BINARY_DIR}/engine/fake-engine.sh")
set(ENV{DOCKER_BUILDKIT} 0)
unset(ENV{DOCKER_HOST})
unset(ENV{DOCKER_CONTEXT})

# A multi-config build makes two configurations and builds one. The fetchcontent and subdirectory
# ways compile the helper's sources in CONFIG (the build type of the suite's own build, default
# Debug), with WERROR as the suite's build has it: every generator then compiles the commands the
# suite's build compiled, which the compiler cache already holds.
if(NOT CONFIG)
  set(CONFIG Debug)
endif()
set(config_args)
if(GENERATOR MATCHES "Multi-Config")
  set(config ${CONFIG})
  set(other Debug)
  if(CONFIG STREQUAL "Debug")
    set(other Release)
  endif()
  list(APPEND config_args "-DCMAKE_CONFIGURATION_TYPES=${CONFIG}\\;${other}")
else()
  set(config "")
  list(APPEND config_args "-DCMAKE_BUILD_TYPE=${CONFIG}")
endif()

set(way_args)
if(WAY STREQUAL "package")
  list(APPEND way_args "-DCMAKE_PREFIX_PATH=${PACKAGE_DIR}")
elseif(WAY STREQUAL "build_tree")
  list(APPEND way_args "-DDockerPipeline_DIR=${PACKAGE_DIR}")
else()
  list(APPEND way_args "-DDOCKER_PIPELINE_SOURCE_DIR=${SOURCE_DIR}" "-DDOCKER_PIPELINE_WERROR=${WERROR}")
  # Absolute paths, as the suite's build compiles them: the same commands, the same cache entries.
  if(CCACHE)
    list(APPEND way_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE}")
  endif()
endif()
if(DEFINED REQUESTED_VERSION)
  list(APPEND way_args "-DREQUESTED_VERSION=${REQUESTED_VERSION}")
endif()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${WAY}/${GENERATOR}: ${what} failed (${result}):\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

# The user's package registry could hold another DockerPipeline; only the way under test counts.
set(configure_command "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}/consumer" -B "${consumer_dir}"
  -G "${GENERATOR}" -DWAY=${WAY} -DEXPECTED_VERSION=${VERSION} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF ${way_args} ${config_args})

if(DEFINED EXPECT_ERROR)
  execute_process(COMMAND ${configure_command} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(result EQUAL 0)
    message(FATAL_ERROR "${WAY}: configure succeeded, expected an error matching '${EXPECT_ERROR}'\n${output}")
  endif()
  # CMake wraps long messages; compare with the line breaks taken out.
  string(REGEX REPLACE "[ \t\r\n]+" " " flat_output "${output}")
  if(NOT flat_output MATCHES "${EXPECT_ERROR}")
    message(FATAL_ERROR "${WAY}: the error does not match '${EXPECT_ERROR}':\n${output}")
  endif()
  message(STATUS "${WAY}: failed as expected:\n${output}")
  return()
endif()

run(configure ${configure_command})

# Found where it should be: the package in the prefix, the build tree's package, or not at all.
file(STRINGS "${consumer_dir}/CMakeCache.txt" found_dir REGEX "^DockerPipeline_DIR:")
string(REGEX REPLACE "^[^=]*=" "" found_dir "${found_dir}")
if(WAY STREQUAL "package")
  if(NOT DEFINED LIBDIR)
    set(LIBDIR lib)
  endif()
  set(expected_dir "${PACKAGE_DIR}/${LIBDIR}/cmake/DockerPipeline")
elseif(WAY STREQUAL "build_tree")
  set(expected_dir "${PACKAGE_DIR}")
else()
  set(expected_dir "")
endif()
if(expected_dir)
  file(REAL_PATH "${expected_dir}" expected_dir)
  file(REAL_PATH "${found_dir}" found_dir)
endif()
if(NOT found_dir STREQUAL expected_dir)
  message(FATAL_ERROR "${WAY}: DockerPipeline_DIR is '${found_dir}', expected '${expected_dir}'")
endif()

# Built as a part of the consumer, DockerPipeline's own tests are not.
if(WAY STREQUAL "fetchcontent" OR WAY STREQUAL "subdirectory")
  file(STRINGS "${consumer_dir}/CMakeCache.txt" build_tests REGEX "^DOCKER_PIPELINE_BUILD_TESTS:")
  if(EXISTS "${consumer_dir}/_deps/dockerpipeline-build/tests" OR NOT build_tests MATCHES "=OFF$")
    message(FATAL_ERROR "${WAY}: DockerPipeline's tests are configured (${build_tests})")
  endif()
endif()

# The pipeline file add_docker_pipeline generated (one, or one per configuration).
file(GLOB_RECURSE pipeline_files "${consumer_dir}/demo.pipeline.json" "${consumer_dir}/*/demo.pipeline.json"
  "${consumer_dir}/demo*.pipeline.json")
list(REMOVE_DUPLICATES pipeline_files)
if(NOT pipeline_files)
  message(FATAL_ERROR "${WAY}/${GENERATOR}: no demo pipeline file in ${consumer_dir}")
endif()
foreach(pipeline_file IN LISTS pipeline_files)
  file(READ "${pipeline_file}" pipeline)
  string(JSON name GET "${pipeline}" name)
  if(NOT name STREQUAL "demo")
    message(FATAL_ERROR "${pipeline_file}: name is '${name}'")
  endif()
endforeach()

# One command from nothing: the image target builds the helper first when the consumer builds it.
set(build_config)
if(config)
  set(build_config --config ${config})
endif()
run("cmake --build --target demo-image" "${CMAKE_COMMAND}" --build "${consumer_dir}" --target demo-image
  ${build_config} --parallel 2)
file(STRINGS "${BINARY_DIR}/engine/state/log" engine_calls)
if(NOT engine_calls MATCHES "(^|;)build ")
  message(FATAL_ERROR "${WAY}/${GENERATOR}: the helper never asked the engine to build:\n${engine_calls}\n${output}")
endif()

# The helper is the one of the way under test.
file(READ "${consumer_dir}/helper-${CONFIG}.path" helper)
if(WAY STREQUAL "package" OR WAY STREQUAL "build_tree")
  set(helper_home "${PACKAGE_DIR}")
else()
  set(helper_home "${consumer_dir}")
endif()
file(REAL_PATH "${helper_home}" helper_home)
file(REAL_PATH "${helper}" helper)
string(FIND "${helper}" "${helper_home}/" at)
if(NOT at EQUAL 0 OR NOT EXISTS "${helper}")
  message(FATAL_ERROR "${WAY}/${GENERATOR}: the helper is '${helper}', expected one under ${helper_home}")
endif()

# Every stage's target depends on the helper (test and publish through the image target); Ninja
# can list what a target needs without building it.
if(GENERATOR STREQUAL "Ninja" AND WAY MATCHES "^(fetchcontent|subdirectory)$")
  file(STRINGS "${consumer_dir}/CMakeCache.txt" ninja REGEX "^CMAKE_MAKE_PROGRAM:")
  string(REGEX REPLACE "^[^=]*=" "" ninja "${ninja}")
  foreach(target IN ITEMS demo-image demo-test demo-publish docker-images docker-tests publish)
    run("ninja -t inputs ${target}" "${ninja}" -C "${consumer_dir}" -t inputs ${target})
    if(NOT output MATCHES "(^|\n)[^\n]*/helper/docker-pipeline\n")
      message(FATAL_ERROR "${WAY}: ${target} does not depend on the helper:\n${output}")
    endif()
  endforeach()
endif()

# The whole build, then the helper run through its target by the consumer's test.
run("cmake --build" "${CMAKE_COMMAND}" --build "${consumer_dir}" ${build_config} --parallel 2)
if(config)
  set(test_config -C ${config})
endif()
run("ctest helper-version" "${CMAKE_CTEST_COMMAND}" --test-dir "${consumer_dir}" ${test_config}
  -R "^helper-version$" --output-on-failure)
message(STATUS "${WAY}/${GENERATOR}: ${helper} built and ran")
