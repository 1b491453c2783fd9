# Makes DockerPipeline a package for find_package(): from this build tree (DockerPipeline_DIR=<build
# dir>) and from an install.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_dp_config_dir "${CMAKE_INSTALL_LIBDIR}/cmake/DockerPipeline")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/DockerPipelineConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)

# Build tree.
set(DOCKER_PIPELINE_MODULE_DIR "${PROJECT_SOURCE_DIR}/cmake")
configure_package_config_file(cmake/DockerPipelineConfig.cmake.in
  "${PROJECT_BINARY_DIR}/DockerPipelineConfig.cmake"
  INSTALL_DESTINATION "${PROJECT_BINARY_DIR}"
  INSTALL_PREFIX "${PROJECT_BINARY_DIR}"
  PATH_VARS DOCKER_PIPELINE_MODULE_DIR)
export(EXPORT DockerPipelineTargets NAMESPACE DockerPipeline::
  FILE "${PROJECT_BINARY_DIR}/DockerPipelineTargets.cmake")

# Install tree.
set(DOCKER_PIPELINE_MODULE_DIR "${CMAKE_INSTALL_DATADIR}/DockerPipeline/cmake")
configure_package_config_file(cmake/DockerPipelineConfig.cmake.in
  "${PROJECT_BINARY_DIR}/install-config/DockerPipelineConfig.cmake"
  INSTALL_DESTINATION "${_dp_config_dir}"
  PATH_VARS DOCKER_PIPELINE_MODULE_DIR)
install(EXPORT DockerPipelineTargets NAMESPACE DockerPipeline:: DESTINATION "${_dp_config_dir}")
install(FILES
  "${PROJECT_BINARY_DIR}/install-config/DockerPipelineConfig.cmake"
  "${PROJECT_BINARY_DIR}/DockerPipelineConfigVersion.cmake"
  DESTINATION "${_dp_config_dir}")
install(FILES cmake/DockerPipeline.cmake DESTINATION "${CMAKE_INSTALL_DATADIR}/DockerPipeline/cmake")
