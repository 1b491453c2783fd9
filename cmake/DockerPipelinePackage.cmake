# Makes DockerPipeline a package for find_package(): from this build tree (DockerPipeline_DIR=<build
# dir>) and from an install (cmake --install, cpack), in the GNUInstallDirs layout:
#   <bindir>/docker-pipeline                          the helper, DockerPipeline::docker-pipeline
#   <libdir>/cmake/DockerPipeline/                    DockerPipelineConfig.cmake, ...ConfigVersion.cmake,
#                                                     DockerPipelineTargets*.cmake
#   <datadir>/DockerPipeline/cmake/DockerPipeline*.cmake   the modules include() finds
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_dp_config_dir "${CMAKE_INSTALL_LIBDIR}/cmake/DockerPipeline")
set(_dp_module_dir "${CMAKE_INSTALL_DATADIR}/DockerPipeline/cmake")

# Any 0.x.y >= the requested version satisfies find_package(DockerPipeline 0.1); 1.0 does not.
# ARCH_INDEPENDENT: the package exports only an executable, which a consumer of any pointer size
# (or one with LANGUAGES NONE) can run.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/DockerPipelineConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)

# Build tree: the modules are read from the sources, the helper from where it was built.
set(DOCKER_PIPELINE_MODULE_DIR "${PROJECT_SOURCE_DIR}/cmake")
configure_package_config_file(cmake/DockerPipelineConfig.cmake.in
  "${PROJECT_BINARY_DIR}/DockerPipelineConfig.cmake"
  INSTALL_DESTINATION "${PROJECT_BINARY_DIR}"
  INSTALL_PREFIX "${PROJECT_BINARY_DIR}"
  PATH_VARS DOCKER_PIPELINE_MODULE_DIR)
export(EXPORT DockerPipelineTargets NAMESPACE DockerPipeline::
  FILE "${PROJECT_BINARY_DIR}/DockerPipelineTargets.cmake")

# Install tree: every path relative to the prefix, so an install (or an unpacked TGZ) can move.
set(DOCKER_PIPELINE_MODULE_DIR "${_dp_module_dir}")
configure_package_config_file(cmake/DockerPipelineConfig.cmake.in
  "${PROJECT_BINARY_DIR}/install-config/DockerPipelineConfig.cmake"
  INSTALL_DESTINATION "${_dp_config_dir}"
  PATH_VARS DOCKER_PIPELINE_MODULE_DIR)
install(EXPORT DockerPipelineTargets NAMESPACE DockerPipeline:: DESTINATION "${_dp_config_dir}")
install(FILES
  "${PROJECT_BINARY_DIR}/install-config/DockerPipelineConfig.cmake"
  "${PROJECT_BINARY_DIR}/DockerPipelineConfigVersion.cmake"
  DESTINATION "${_dp_config_dir}")
# The consumer-facing modules: globbed when installing, so a module added to cmake/ is installed
# too; the files that only build this project (this one, the CPack settings) are not.
install(DIRECTORY cmake/ DESTINATION "${_dp_module_dir}"
  FILES_MATCHING PATTERN "DockerPipeline*.cmake"
  PATTERN "DockerPipelinePackage.cmake" EXCLUDE
  PATTERN "DockerPipelineCPack.cmake" EXCLUDE)
