# Binary packages of what `cmake --install` installs: `cpack -G DEB` and `cpack -G TGZ` in the
# build tree. The .deb installs under /usr, so find_package(DockerPipeline) finds it with no hints.
include_guard(GLOBAL)

set(CPACK_PACKAGE_NAME "docker-pipeline")
set(CPACK_PACKAGE_VENDOR "DockerPipeline")
set(CPACK_PACKAGE_CONTACT "DockerPipeline maintainers <docker-pipeline@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
  "A CMake package (find_package(DockerPipeline), include(DockerPipeline), add_docker_pipeline()) \
and its helper docker-pipeline: versions are validated as PEP 440 and stamped, the image is built \
and tagged with the version, the tests run in a container, and the sdist and wheel are checked and \
uploaded to a PyPI-compatible index.")
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
