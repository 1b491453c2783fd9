# check_layout(<prefix>): the GNUInstallDirs layout of an installed DockerPipeline (BINDIR, LIBDIR
# and DATADIR set by the caller), and nothing but it.
include_guard(GLOBAL)
function(check_layout prefix)
  set(expected
    "${BINDIR}/docker-pipeline"
    "${LIBDIR}/cmake/DockerPipeline/DockerPipelineConfig.cmake"
    "${LIBDIR}/cmake/DockerPipeline/DockerPipelineConfigVersion.cmake"
    "${LIBDIR}/cmake/DockerPipeline/DockerPipelineTargets.cmake"
    "${DATADIR}/DockerPipeline/cmake/DockerPipeline.cmake")
  foreach(file IN LISTS expected)
    if(NOT EXISTS "${prefix}/${file}")
      message(FATAL_ERROR "${prefix}: ${file} is not installed")
    endif()
  endforeach()
  execute_process(COMMAND "${prefix}/${BINDIR}/docker-pipeline" --version
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0 OR NOT output MATCHES "^docker-pipeline [0-9]")
    message(FATAL_ERROR "${prefix}: ${BINDIR}/docker-pipeline --version failed (${result}): ${output}")
  endif()
  # Build-only modules stay out; the per-configuration targets file is the only other file.
  file(GLOB_RECURSE installed RELATIVE "${prefix}" "${prefix}/*")
  list(REMOVE_ITEM installed ${expected})
  list(FILTER installed EXCLUDE REGEX "^${LIBDIR}/cmake/DockerPipeline/DockerPipelineTargets-[a-z]*\\.cmake$")
  if(installed)
    message(FATAL_ERROR "${prefix}: unexpected files installed: ${installed}")
  endif()
endfunction()
