# Binary packages of what `cmake --install` installs: `cpack -G DEB` and `cpack -G TGZ` in the
# build tree. The .deb installs under /usr, so find_package(DockerPipeline) finds it with no hints.
include_guard(GLOBAL)

set(CPACK_PACKAGE_NAME "docker-pipeline")
set(CPACK_PACKAGE_VENDOR "DockerPipeline")
set(CPACK_PACKAGE_CONTACT "DockerPipeline maintainers <docker-pipeline@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# Lines of Debian's long description stay under 80 columns.
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
  "A CMake package: find_package(DockerPipeline), include(DockerPipeline) and"
  "add_docker_pipeline() give a project targets that validate and stamp a PEP 440"
  "version, build and tag the Docker image, run the tests in a container, and"
  "check and upload the sdist and wheel to a PyPI-compatible index, through the"
  "helper docker-pipeline.")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_STRIP_FILES ON)
# Only the two generators the project tests; `cpack` alone makes both.
set(CPACK_GENERATOR "TGZ;DEB")

# DEB: docker-pipeline_<version>_<arch>.deb, its shared-library dependencies read from the helper
# by dpkg-shlibdeps (dpkg-dev), not kept by hand.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
# The module needs the CMake this project requires; the helper drives an engine it finds at run
# time (docker or podman, perhaps a remote one), so that is only suggested.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cmake (>= 3.25)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "docker.io | podman, twine")

include(CPack)
