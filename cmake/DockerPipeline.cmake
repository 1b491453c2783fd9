include_guard(GLOBAL)

#[=======================================================================[.rst:
DockerPipeline
--------------

Build, test and publish a Python package through Docker from a CMake build.

.. code-block:: cmake

  find_package(DockerPipeline 0.1 REQUIRED)   # or FetchContent / add_subdirectory
  include(DockerPipeline)

Every stage is done by the ``docker-pipeline`` helper (the imported or built
target ``DockerPipeline::docker-pipeline``), which reads one description of the
pipeline, ``<binary dir>/<name>.pipeline.json`` (with a multi-config generator,
``<binary dir>/<config>/<name>.pipeline.json``). The same file can be given to
the helper by hand: ``docker-pipeline test --pipeline <file>``.

The file is a versioned contract between this module and the helper: its
``format`` member (``"1.5"``) says which members it has and what they mean.
A helper refuses a file of a newer major format with one line naming the
file, the field and the fix (re-run cmake so the module and the helper match,
or upgrade ``docker-pipeline``); it reads a newer minor format with a warning,
ignoring the members it does not know. A file without ``format`` was written
by a module older than the member and is read as ``1.0``. A file edited by
hand into nonsense (not JSON, a member of the wrong type or an unknown value,
a required member missing, a member the format does not have) is refused with
one line naming the file and the field.
``docker-pipeline validate --pipeline <file>`` checks the file and what it
names (the version, unless ``VERSION_FROM GIT`` reads it at build time; the
Dockerfile; the ``STAMP`` files; the ``ARTIFACTS`` names) without an engine
and without changing anything, and prints one ``OK`` line or the first
problem (exit status 1).

Cache variables
^^^^^^^^^^^^^^^

.. variable:: DOCKER_PIPELINE_VERSION

  When not empty, the version of every pipeline of the build, in place of
  their ``VERSION`` or ``VERSION_FROM``. Validated and normalized as PEP 440
  by the helper.

.. variable:: DOCKER_PIPELINE_ENGINE

  The container engine of every pipeline without ``ENGINE``: ``docker``,
  ``podman``, or empty (the default) to let the helper detect one (the
  ``DOCKER_PIPELINE_ENGINE`` environment variable, else ``docker``, else
  ``podman``; see ``docker-pipeline build --help``).

.. variable:: DOCKER_PIPELINE_FORCE

  When ``ON``, images are built and container tests run even when nothing
  that determines them changed.

.. variable:: DOCKER_PIPELINE_REPOSITORY

  When not empty, where every pipeline of the build publishes (a ``.pypirc``
  section or a URL), in place of their ``REPOSITORY``.

.. variable:: DOCKER_PIPELINE_TRUSTED_PUBLISHING

  When not empty (``auto``, ``always`` or ``never``), every pipeline's
  ``TRUSTED_PUBLISHING``. The environment variable of the same name, read when
  the publish runs, wins over both.

.. variable:: DOCKER_PIPELINE_LIVE_OUTPUT

  ``ON`` (the default): the pipeline steps use the terminal, so their output
  is live; Ninja then runs them one at a time (its ``console`` pool).
  ``OFF``: the steps of independent pipelines run in parallel, and Ninja
  shows each step's output when it ends.

Commands
^^^^^^^^

.. command:: add_docker_pipeline

  .. code-block:: cmake

    add_docker_pipeline(<name>
      [CONTEXT <dir>]
      [DOCKERFILE <file>]
      [IMAGE <repository>]
      [VERSION <version> | VERSION_FROM GIT [NO_LOCAL] [TAG_REGEX <regex>]
                         | VERSION_FROM PROJECT | VERSION_FROM FILE <path>]
      [BUILD_ARGS <NAME=VALUE>...]
      [MATRIX <BUILD_ARG> <value>...]
      [STAMP <file>...]
      [ENGINE docker|podman] [PULL ON|OFF] [LATEST ON|OFF]
      [SECRETS id=<id>,src=<file>|id=<id>,env=<variable>...]
      [TEST_COMMAND <arg>...]
      [TEST_ENV <NAME=VALUE>...]
      [TEST_TIMEOUT <seconds>]
      [ARTIFACTS <path in image>...]
      [DIST_DIR <dir in image>]
      [VERIFY_IMAGES <image:tag>...]
      [VERIFY_COMMAND <arg>...]
      [VERIFY_FILES <path>...]
      [VERIFY_SDIST ON|OFF]
      [WHEELHOUSE <dir>]
      [REPOSITORY <.pypirc section or URL>]
      [TRUSTED_PUBLISHING auto|always|never]
      [PUSH <registry>/<repository> [PUSH_LATEST ON|OFF]]
      [DEPENDS <pipeline or target>...]
      [SKIP_EXISTING] [VERIFY] [ATTESTATIONS])

  Creates the targets ``<name>-image`` (build the image), ``<name>-test``
  (run ``TEST_COMMAND`` in it and copy ``ARTIFACTS`` and ``DIST_DIR`` out),
  ``<name>-verify`` (install the dists in clean containers of
  ``VERIFY_IMAGES`` and test them there) and ``<name>-publish``
  (``docker-pipeline publish``: preflight, then upload the dists, push the
  image where ``PUSH`` says and write ``<name>/release.json``), each
  depending on the one before, and adds them to the aggregates
  ``docker-images``, ``docker-tests``, ``docker-verify`` and ``publish``.
  ``<name>-preflight`` runs the publish's checks alone, sending nothing (a
  merge request's CI can run it). None of them is part of ``ALL``:
  publishing happens only when asked for. The image, test and verify steps run on every build and do
  nothing when what determines them is unchanged. The CTest test
  ``<name>.container-tests`` runs the test stage, with the image build
  (``<name>.image``) as its fixture, and ``<name>.verify.<image tag>`` (for
  example ``pydemo.verify.bullseye``) verifies one image, with the test stage
  as its fixture, so ``ctest`` alone builds, tests and verifies.

  ``CONTEXT``
    The docker build context; relative paths are taken from the current
    source dir, which is the default. Its ``.dockerignore`` applies; the
    CMake binary dir is never sent.
  ``DOCKERFILE``
    Relative to ``CONTEXT`` (default ``Dockerfile``); must lie inside it.
  ``IMAGE``
    The image repository; the image is tagged ``<IMAGE>:<version>``
    (default: ``<name>`` in lower case). At most 255 characters, as Docker
    has it; ``<name>`` too (it names folders): a letter or digit, then
    letters, digits, ``_``, ``.`` and ``-``.
  ``VERSION``
    The package version (default: the project's version). Normalized as
    PEP 440 (``v1.0-BETA.1`` is ``1.0b1``) and passed to the build as
    ``ARG_VERSION``; a PEP 440 local version's ``+`` becomes ``-`` in the tag
    only (``1.0+g1a2b`` is tagged ``1.0-g1a2b``), and the image's
    ``org.opencontainers.image.version`` label keeps it exact.
  ``VERSION_FROM``
    Where the version comes from instead of ``VERSION``. ``GIT`` and ``FILE``
    are read at build time, so a new commit or tag changes the version
    without re-configuring; the stages after the image use the version the
    image was built with, and ``<name>-publish`` refuses dists of any other.

    ``GIT``
      ``git describe`` of the repository holding ``CONTEXT``, as
      setuptools-scm's default scheme reads it: ``1.2.3`` on the tag
      ``v1.2.3``, ``1.2.4.dev4+g1a2b3c4`` four commits past it, with
      ``.dYYYYMMDD`` added when tracked files are modified. ``NO_LOCAL``
      drops the ``+...`` part (public indexes refuse local versions);
      ``TAG_REGEX`` reads other tag styles (its first group is the version).
    ``PROJECT``
      The version given to ``project()``.
    ``FILE <path>``
      A file holding only the version (relative to the current source dir).
  ``BUILD_ARGS``
    More ``NAME=VALUE`` build args. ``ARG_VERSION`` is set from the version,
    and so are ``SETUPTOOLS_SCM_PRETEND_VERSION``,
    ``SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<NAME>`` and
    ``PDM_BUILD_SCM_VERSION`` when the Dockerfile declares them with ``ARG``:
    setuptools-scm, hatch-vcs and pdm-backend take the version from them
    instead of git. ``BUILD_ARGS`` may set none of these but the
    ``_FOR_<NAME>`` ones. ``SOURCE_DATE_EPOCH``, where the Dockerfile
    declares it, is the environment's, else the commit time of the newest
    commit that changed a file of ``CONTEXT``, else ``315532800``
    (1980-01-01, the earliest time a zip file holds), never the time of the
    build: wheels (and sdists whose backend honours it) are reproducible.
  ``MATRIX``
    Builds one image per value, each passing the value as the build arg
    ``<BUILD_ARG>`` (which the Dockerfile declares with ``ARG``), for
    example ``MATRIX BASE_IMAGE docker-pipeline/python3:bullseye
    docker-pipeline/python3:bookworm``. Each value makes a variant, named
    by the value's tag (``bullseye``), else its last ``/`` part, in lower
    case with other characters than letters, digits, ``_``, ``.`` and ``-``
    made ``-``; two values of one name are an error. A variant's image is
    tagged ``<IMAGE>:<version>-<variant>`` and labelled
    ``io.docker-pipeline.variant``; the first variant is also
    ``<IMAGE>:<version>`` (and ``:latest`` with ``LATEST ON``). The
    Dockerfile gets the variant's name as ``ARG_VARIANT`` where it declares
    it. The variants are built and tested in parallel (up to
    ``DOCKER_PIPELINE_JOBS``), each only when what determines it changed;
    each keeps its records, ``ARTIFACTS`` and dists in
    ``${CMAKE_CURRENT_BINARY_DIR}/<name>/variants/<variant>``. When all
    passed, their dists are merged into ``<name>/dist``, which verify and
    publish use: a file that several variants made must have the same bytes
    in each, else the test stage fails naming the file and the variants
    (build it in one variant only, by ``ARG_VARIANT``, or reproducibly).
  ``STAMP``
    Files, relative to ``CONTEXT``, whose version field (``setup.py``,
    ``setup.cfg``, ``pyproject.toml``, ``PKG-INFO``, ``Cargo.toml``,
    ``__version__`` in ``*.py``) is set to the version in what the build
    context sends; the source tree is never modified. A ``pyproject.toml``
    whose version is dynamic stamps the file its build backend reads the
    version from; the ``PKG-INFO`` of an unpacked sdist is stamped with its
    project. A version a backend derives from git needs the Dockerfile to
    declare its ``ARG`` (see ``BUILD_ARGS``) unless a ``PKG-INFO`` holds it.
    A file without a version field, or one a backend writes as it builds
    (hatch-vcs's ``version-file``, setuptools-scm's ``version_file``), is an
    error. The build prints each file stamped and the backend that reads it.
  ``ENGINE``
    ``docker`` or ``podman`` (default: ``DOCKER_PIPELINE_ENGINE``, else
    detected).
  ``PULL``
    ``ON`` lets the build pull base images; by default a base image missing
    locally is an error naming it and its Dockerfile line.
  ``LATEST``
    ``ON`` tags the image ``<IMAGE>:latest`` too.
  ``SECRETS``
    BuildKit build secrets (``RUN --mount=type=secret,id=<id>``), from a file
    (relative to the current source directory) or an environment variable; a
    builder that cannot mount secrets stops the
    build. A Dockerfile that copies a ``.pypirc`` or declares an ``ARG`` or
    ``ENV`` named like a password, token or secret is refused.
  ``TEST_COMMAND``
    The command run inside the image. A non-zero exit fails ``<name>-test``
    with that status, and nothing is published.
  ``TEST_ENV``
    ``NAME=VALUE`` variables set for ``TEST_COMMAND``.
  ``TEST_TIMEOUT``
    Seconds after which the tests are stopped and ``<name>-test`` fails
    (default: no limit).
  ``ARTIFACTS``
    Absolute paths inside the container copied to
    ``${CMAKE_CURRENT_BINARY_DIR}/<name>/artifacts`` after every run, passed
    or failed; a JUnit XML among them is summarized in one line.
  ``DIST_DIR``
    Absolute folder inside the image holding the sdist and wheel; copied to
    ``${CMAKE_CURRENT_BINARY_DIR}/<name>/dist`` after the tests pass.
  ``VERIFY_IMAGES``
    Local images (``repository:tag``, each tag once; none is ever pulled)
    with ``python3`` and its ``venv`` module, such as the base images
    ``scripts/make-base-image`` makes. For each, a fresh container holding
    none of the package's source gets the dists the test stage copied out,
    installs the wheel that fits its Python into a new venv (``pip
    --no-index``: the dists and ``WHEELHOUSE`` only; the venv sees the
    image's own packages) and runs ``VERIFY_COMMAND`` from a folder holding
    only ``VERIFY_FILES``. The first image also builds and installs the sdist
    (see ``VERIFY_SDIST``).
    An image whose Python is outside the dists' ``Requires-Python``, no wheel
    that fits an image, or a wheel that fits none is an error. Images run in
    parallel, up to ``DOCKER_PIPELINE_JOBS`` (environment; default: the
    number of cores); each one's ``ARTIFACTS`` land in
    ``${CMAKE_CURRENT_BINARY_DIR}/<name>/verify/<image tag>``.
  ``VERIFY_COMMAND``
    The command run in each verify container, with the venv first in
    ``PATH`` (default: ``TEST_COMMAND``).
  ``VERIFY_FILES``
    Files or folders, relative to ``CONTEXT`` (typically the tests), copied
    to the verify command's working folder with their relative paths.
  ``VERIFY_SDIST``
    ``ON`` (the default): the first of ``VERIFY_IMAGES`` also builds the
    sdist from source, installs it and runs the verify command. ``OFF``:
    verify installs wheels only, for a package whose sdist needs what clean
    Python images lack (a C++ compiler); its image build can prove the sdist
    instead, by building its wheel from it.
  ``WHEELHOUSE``
    A folder of wheels (relative to the current source dir), for builds and
    installs without an index: the image build gets it in its context as
    ``.docker-pipeline/wheelhouse`` (whatever ``.dockerignore`` says; a
    context holding that path itself is an error), so the Dockerfile installs
    from it (``COPY .docker-pipeline/wheelhouse /wheelhouse`` and ``pip
    install --no-index --find-links /wheelhouse``), and the verify containers
    install dependencies from it. With it, verify builds the sdist in
    isolation, its build backend from the wheelhouse; without it, with the
    image's own (``--no-build-isolation``). Its content is an input of the
    image like the context's files.
  ``REPOSITORY``
    Where ``<name>-publish`` uploads: a ``.pypirc`` section name or a URL.
    ``TWINE_REPOSITORY_URL`` overrides a section name, as in twine;
    credentials come from ``TWINE_USERNAME``/``TWINE_PASSWORD`` or the
    ``.pypirc``, never from the CMake cache.
  ``PUSH``
    A registry and repository (``127.0.0.1:5000/team/app``, ``ghcr.io/org/app``)
    that ``<name>-publish`` pushes the tested image to after the dists are
    uploaded, as ``<repository>:<version tag>``, each ``MATRIX`` variant as
    ``<version tag>-<variant>`` (the first also as ``<version tag>``).
    Credentials are the engine's own (``docker login``, ``podman login``,
    credential helpers), never the pipeline's. A tag the registry already holds
    for the same image is not pushed again; one it holds for another image
    stops the push before anything is sent.
  ``PUSH_LATEST``
    ``ON``: push ``latest`` too (the first variant's), the one tag that may move
    from one image to another (default ``OFF``).
  ``DEPENDS``
    Pipelines whose image this pipeline's image is built after (an image
    ``FROM`` another pipeline's), or other targets built first (an extension
    module the package ships). Checked at the end of configuration.
  ``SKIP_EXISTING``
    Files the index already has are skipped instead of failing the publish
    (``upload --skip-existing``).
  ``VERIFY``
    After uploading, confirm through the index's simple API that every file
    is there with the sha256 that was sent (``upload --verify``).
  ``TRUSTED_PUBLISHING``
    ``auto`` (the default): in a GitHub Actions job with ``id-token: write``, or
    a GitLab CI job that declares the index's ID token, and with no password
    configured, upload with a short-lived token the index mints for the job's
    OpenID Connect identity. ``always``: only that way (an error where the job
    has no ID token). ``never``: only with a configured password
    (``upload --trusted-publishing``).
  ``ATTESTATIONS``
    Every dist must have its PEP 740 attestation, ``<file>.publish.attestation``,
    beside it; they are uploaded with the files (``upload --attestations``).
    Without it, attestations found are uploaded and none is required.
#]=======================================================================]

set(DOCKER_PIPELINE_VERSION "" CACHE STRING
  "Version of every add_docker_pipeline() of this build, overriding their VERSION (empty: their own)")

set(DOCKER_PIPELINE_ENGINE "" CACHE STRING
  "Container engine of every add_docker_pipeline() without ENGINE: docker, podman, or empty to detect one")
set_property(CACHE DOCKER_PIPELINE_ENGINE PROPERTY STRINGS "" docker podman)
option(DOCKER_PIPELINE_FORCE "Build images and run container tests even when nothing changed" OFF)
set(DOCKER_PIPELINE_REPOSITORY "" CACHE STRING
  "Where every add_docker_pipeline() of this build publishes, overriding their REPOSITORY (empty: their own)")
set(DOCKER_PIPELINE_TRUSTED_PUBLISHING "" CACHE STRING
  "Trusted publishing of every add_docker_pipeline() of this build: auto, always or never (empty: their own)")
set_property(CACHE DOCKER_PIPELINE_TRUSTED_PUBLISHING PROPERTY STRINGS "" auto always never)
option(DOCKER_PIPELINE_LIVE_OUTPUT
  "Pipeline steps use the terminal, for live output; Ninja then runs them one at a time (OFF: in parallel)" ON)

# The format of the pipeline files this module writes; the helper knows it as kPipelineFormat
# (helper/src/pipeline/pipeline.hpp). A member added: the minor goes up; one changed or removed:
# the major. A function, not a variable: include_guard(GLOBAL) skips this file in other
# directories, where a variable set here would not be seen.
function(_docker_pipeline_format out)
  set(${out} "1.5" PARENT_SCOPE)
endfunction()

function(_docker_pipeline_fail name message)
  message(FATAL_ERROR "add_docker_pipeline(${name}): ${message}")
endfunction()

# True when `path` is `dir` or lies below it.
function(_docker_pipeline_is_inside out path dir)
  cmake_path(IS_PREFIX dir "${path}" NORMALIZE inside)
  set(${out} ${inside} PARENT_SCOPE)
endfunction()

# Takes the list by variable name: passing its items as arguments would split those holding ';'.
function(_docker_pipeline_json_string_array out json key list_variable)
  string(JSON json SET "${json}" "${key}" "[]")
  set(index 0)
  foreach(item IN LISTS ${list_variable})
    string(REPLACE "\\" "\\\\" item "${item}")
    string(REPLACE "\"" "\\\"" item "${item}")
    string(JSON json SET "${json}" "${key}" ${index} "\"${item}\"")
    math(EXPR index "${index} + 1")
  endforeach()
  set(${out} "${json}" PARENT_SCOPE)
endfunction()

function(_docker_pipeline_json_string out json key value)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  string(JSON json SET "${json}" "${key}" "\"${value}\"")
  set(${out} "${json}" PARENT_SCOPE)
endfunction()

# VERSION_FROM GIT [NO_LOCAL] [TAG_REGEX <regex>] | PROJECT | FILE <path>: sets `out_version` for
# a version known now (PROJECT), else `out_json` to the pipeline file's "version_from" object.
function(_docker_pipeline_version_from out_version out_json name context list_variable)
  set(words ${${list_variable}})
  list(POP_FRONT words source)
  set(json "")
  set(version "")
  if(source STREQUAL "PROJECT")
    if(words)
      _docker_pipeline_fail("${name}" "VERSION_FROM PROJECT takes nothing more, got '${words}'")
    endif()
    if(PROJECT_VERSION STREQUAL "")
      _docker_pipeline_fail("${name}"
        "VERSION_FROM PROJECT, but project(${PROJECT_NAME}) has no VERSION; give project() a VERSION")
    endif()
    set(version "${PROJECT_VERSION}")
  elseif(source STREQUAL "GIT")
    cmake_parse_arguments(_dp_git "NO_LOCAL" "TAG_REGEX" "" ${words})
    if(_dp_git_KEYWORDS_MISSING_VALUES)
      _docker_pipeline_fail("${name}" "VERSION_FROM GIT TAG_REGEX is given without a regex")
    endif()
    if(_dp_git_UNPARSED_ARGUMENTS)
      _docker_pipeline_fail("${name}"
        "VERSION_FROM GIT takes NO_LOCAL and TAG_REGEX <regex>, got '${_dp_git_UNPARSED_ARGUMENTS}'")
    endif()
    set(json "{}")
    _docker_pipeline_json_string(json "${json}" source git)
    _docker_pipeline_json_string(json "${json}" directory "${context}")
    _docker_pipeline_json_bool(json "${json}" local "NOT;_dp_git_NO_LOCAL")
    _docker_pipeline_json_string(json "${json}" tag_regex "${_dp_git_TAG_REGEX}")
  elseif(source STREQUAL "FILE")
    list(LENGTH words count)
    if(NOT count EQUAL 1)
      _docker_pipeline_fail("${name}" "VERSION_FROM FILE takes one path, got '${words}'")
    endif()
    cmake_path(ABSOLUTE_PATH words BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
      OUTPUT_VARIABLE path)
    if(NOT EXISTS "${path}" OR IS_DIRECTORY "${path}")
      _docker_pipeline_fail("${name}" "VERSION_FROM FILE '${words}' is not a file (looked at ${path})")
    endif()
    set(json "{}")
    _docker_pipeline_json_string(json "${json}" source file)
    _docker_pipeline_json_string(json "${json}" path "${path}")
  else()
    _docker_pipeline_fail("${name}"
      "VERSION_FROM '${source}' is not a version source; use GIT, PROJECT or FILE <path>")
  endif()
  set(${out_version} "${version}" PARENT_SCOPE)
  set(${out_json} "${json}" PARENT_SCOPE)
endfunction()

# One SECRETS entry as the helper reads it: id=<id> and one of src=<file> (made absolute against
# the current source dir) or env=<variable>.
function(_docker_pipeline_secret name entry out)
  set(usage "SECRETS entry '${entry}' is not id=<id>,src=<file> or id=<id>,env=<variable>")
  set(id "")
  set(src "")
  set(env "")
  string(REPLACE "," ";" items "${entry}")
  foreach(item IN LISTS items)
    if(NOT item MATCHES "^(id|src|source|env)=(.+)$")
      _docker_pipeline_fail("${name}" "${usage}")
    endif()
    set(key "${CMAKE_MATCH_1}")
    if(key STREQUAL "source")
      set(key src)
    endif()
    set(${key} "${CMAKE_MATCH_2}")
  endforeach()
  if(id STREQUAL "" OR (src STREQUAL "" AND env STREQUAL "") OR (NOT src STREQUAL "" AND NOT env STREQUAL ""))
    _docker_pipeline_fail("${name}" "${usage}")
  endif()
  if(src STREQUAL "")
    set(${out} "id=${id},env=${env}" PARENT_SCOPE)
  else()
    cmake_path(ABSOLUTE_PATH src BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
    set(${out} "id=${id},src=${src}" PARENT_SCOPE)
  endif()
endfunction()

function(_docker_pipeline_json_bool out json key condition)
  if(${condition})
    string(JSON json SET "${json}" "${key}" true)
  else()
    string(JSON json SET "${json}" "${key}" false)
  endif()
  set(${out} "${json}" PARENT_SCOPE)
endfunction()

# Appends `derived`, the name of `item` (an entry of the list `list_variable`), to the list
# `names_variable`, unless an earlier entry has that name: then fails with `message`, in which
# <first>, <item> and <name> stand for that entry, this one and the name.
function(_docker_pipeline_claim_name pipeline names_variable list_variable derived item message)
  list(FIND ${names_variable} "${derived}" taken)
  if(NOT taken EQUAL -1)
    list(GET ${list_variable} ${taken} first)
    string(REPLACE "<first>" "${first}" message "${message}")
    string(REPLACE "<item>" "${item}" message "${message}")
    string(REPLACE "<name>" "${derived}" message "${message}")
    _docker_pipeline_fail("${pipeline}" "${message}")
  endif()
  list(APPEND ${names_variable} "${derived}")
  set(${names_variable} "${${names_variable}}" PARENT_SCOPE)
endfunction()

# A MATRIX value's variant name: its tag, else its last '/' part; lower case, characters other than
# letters, digits, '_', '.' and '-' made '-'. ("docker-pipeline/python3:bullseye" is "bullseye".)
function(_docker_pipeline_variant_name out value)
  if(value MATCHES ":([^:/]+)$")
    set(variant "${CMAKE_MATCH_1}")
  else()
    string(REGEX REPLACE "^.*/" "" variant "${value}")
  endif()
  string(TOLOWER "${variant}" variant)
  string(REGEX REPLACE "[^a-z0-9_.-]" "-" variant "${variant}")
  string(REGEX REPLACE "^[_.-]+" "" variant "${variant}")
  set(${out} "${variant}" PARENT_SCOPE)
endfunction()

# MATRIX <BUILD_ARG> <value>...: sets `out` to the pipeline file's "matrix" object (empty without
# MATRIX).
function(_docker_pipeline_matrix out name list_variable build_args_variable)
  set(words ${${list_variable}})
  set(${out} "" PARENT_SCOPE)
  if(NOT words)
    return()
  endif()
  list(POP_FRONT words arg)
  if(NOT arg MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    _docker_pipeline_fail("${name}" "MATRIX '${arg}' is not a build arg's name; give MATRIX <BUILD_ARG> <value>...")
  endif()
  if(arg MATCHES "^(ARG_VERSION|ARG_VARIANT|SETUPTOOLS_SCM_PRETEND_VERSION|PDM_BUILD_SCM_VERSION)$")
    _docker_pipeline_fail("${name}" "MATRIX ${arg}: the pipeline sets ${arg} itself; vary another build arg")
  endif()
  if(NOT words)
    _docker_pipeline_fail("${name}" "MATRIX ${arg} has no values; give MATRIX ${arg} <value>...")
  endif()
  foreach(build_arg IN LISTS ${build_args_variable})
    if(build_arg MATCHES "^${arg}=")
      _docker_pipeline_fail("${name}" "MATRIX ${arg} is set by BUILD_ARGS too; set it in one of them")
    endif()
  endforeach()
  set(json "{}")
  _docker_pipeline_json_string(json "${json}" build_arg "${arg}")
  string(JSON json SET "${json}" variants "[]")
  set(names "")
  set(index 0)
  foreach(value IN LISTS words)
    _docker_pipeline_variant_name(variant "${value}")
    if(variant STREQUAL "")
      _docker_pipeline_fail("${name}" "MATRIX value '${value}' gives no variant name (letters or digits)")
    endif()
    _docker_pipeline_claim_name("${name}" names words "${variant}" "${value}"
      "MATRIX values '<first>' and '<item>' are both the variant <name>; give values that differ in their tag or last part")
    set(item "{}")
    _docker_pipeline_json_string(item "${item}" name "${variant}")
    _docker_pipeline_json_string(item "${item}" value "${value}")
    string(JSON json SET "${json}" variants ${index} "${item}")
    math(EXPR index "${index} + 1")
  endforeach()
  set(${out} "${json}" PARENT_SCOPE)
endfunction()

function(_docker_pipeline_aggregate aggregate target comment)
  if(NOT TARGET ${aggregate})
    add_custom_target(${aggregate} COMMENT "${comment}")
    set_property(TARGET ${aggregate} PROPERTY FOLDER "DockerPipeline")
  endif()
  add_dependencies(${aggregate} ${target})
endfunction()

function(add_docker_pipeline name)
  set(one_value CONTEXT DOCKERFILE IMAGE VERSION DIST_DIR REPOSITORY ENGINE PULL LATEST TEST_TIMEOUT
    WHEELHOUSE VERIFY_SDIST PUSH PUSH_LATEST TRUSTED_PUBLISHING)
  set(multi_value VERSION_FROM BUILD_ARGS STAMP TEST_COMMAND TEST_ENV ARTIFACTS SECRETS DEPENDS
    VERIFY_IMAGES VERIFY_COMMAND VERIFY_FILES MATRIX)
  set(options SKIP_EXISTING VERIFY ATTESTATIONS)
  cmake_parse_arguments(PARSE_ARGV 1 _dp "${options}" "${one_value}" "${multi_value}")

  if(NOT name MATCHES "^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    _docker_pipeline_fail("${name}"
      "the name '${name}' must start with a letter or digit and hold only letters, digits, '_', '.' and '-'")
  endif()
  string(LENGTH "${name}" name_length)
  if(name_length GREATER 255)
    _docker_pipeline_fail("${name}"
      "the name is ${name_length} characters long; it names folders, so at most 255")
  endif()
  if(_dp_UNPARSED_ARGUMENTS)
    list(GET _dp_UNPARSED_ARGUMENTS 0 unknown)
    list(JOIN one_value ", " allowed_one)
    list(JOIN multi_value ", " allowed_multi)
    list(JOIN options ", " allowed_options)
    _docker_pipeline_fail("${name}"
      "unknown argument '${unknown}'; the arguments are ${allowed_one}, ${allowed_multi}, ${allowed_options}")
  endif()
  if("VERSION" IN_LIST _dp_KEYWORDS_MISSING_VALUES AND _dp_VERSION_FROM STREQUAL "FILE")
    _docker_pipeline_fail("${name}"
      "VERSION_FROM FILE VERSION reads as the VERSION keyword; name the file ./VERSION")
  endif()
  foreach(keyword IN LISTS _dp_KEYWORDS_MISSING_VALUES)
    _docker_pipeline_fail("${name}" "${keyword} is given without a value")
  endforeach()
  get_property(known_pipelines GLOBAL PROPERTY DOCKER_PIPELINE_NAMES)
  if(name IN_LIST known_pipelines)
    get_property(first_dir GLOBAL PROPERTY DOCKER_PIPELINE_DIR_${name})
    _docker_pipeline_fail("${name}"
      "a pipeline named '${name}' already exists (added in ${first_dir}); give each pipeline its own name")
  endif()
  foreach(target IN ITEMS ${name}-image ${name}-test ${name}-verify ${name}-publish ${name}-preflight)
    if(TARGET ${target})
      _docker_pipeline_fail("${name}" "a target named '${target}' already exists; choose another pipeline name")
    endif()
  endforeach()
  if(NOT TARGET DockerPipeline::docker-pipeline)
    _docker_pipeline_fail("${name}"
      "the helper target DockerPipeline::docker-pipeline is not known; call find_package(DockerPipeline) "
      "or add DockerPipeline with add_subdirectory()/FetchContent before include(DockerPipeline)")
  endif()

  # CONTEXT and DOCKERFILE
  if(NOT DEFINED _dp_CONTEXT)
    set(_dp_CONTEXT "${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  cmake_path(ABSOLUTE_PATH _dp_CONTEXT BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
    OUTPUT_VARIABLE context)
  string(REGEX REPLACE "/$" "" context "${context}")
  if(NOT IS_DIRECTORY "${context}")
    _docker_pipeline_fail("${name}" "CONTEXT '${_dp_CONTEXT}' is not a directory (looked at ${context})")
  endif()
  if(NOT DEFINED _dp_DOCKERFILE)
    set(_dp_DOCKERFILE Dockerfile)
  endif()
  cmake_path(ABSOLUTE_PATH _dp_DOCKERFILE BASE_DIRECTORY "${context}" NORMALIZE OUTPUT_VARIABLE dockerfile)
  if(NOT EXISTS "${dockerfile}" OR IS_DIRECTORY "${dockerfile}")
    _docker_pipeline_fail("${name}"
      "DOCKERFILE '${_dp_DOCKERFILE}' does not exist (looked at ${dockerfile}); give it relative to CONTEXT")
  endif()
  _docker_pipeline_is_inside(inside "${dockerfile}" "${context}")
  if(NOT inside)
    _docker_pipeline_fail("${name}" "DOCKERFILE '${_dp_DOCKERFILE}' lies outside CONTEXT ${context}; move it into the context")
  endif()
  cmake_path(RELATIVE_PATH dockerfile BASE_DIRECTORY "${context}")

  # IMAGE and VERSION
  if(NOT DEFINED _dp_IMAGE)
    string(TOLOWER "${name}" _dp_IMAGE)
  endif()
  if(NOT _dp_IMAGE MATCHES "^[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$"
     AND NOT _dp_IMAGE MATCHES "^[A-Za-z0-9.-]+(:[0-9]+)?/[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$")
    _docker_pipeline_fail("${name}"
      "IMAGE '${_dp_IMAGE}' is not a valid image repository (lower-case letters, digits, '.', '_', '-', '/'; no tag)")
  endif()
  string(LENGTH "${_dp_IMAGE}" image_length)
  if(image_length GREATER 255)
    _docker_pipeline_fail("${name}"
      "IMAGE is ${image_length} characters long; Docker takes at most 255")
  endif()
  if(DEFINED _dp_VERSION AND DEFINED _dp_VERSION_FROM)
    _docker_pipeline_fail("${name}" "VERSION and VERSION_FROM are both given; keep one")
  endif()
  # version_json: the "version_from" object for git and file sources, read at build time.
  set(version "")
  set(version_json "")
  if(NOT DOCKER_PIPELINE_VERSION STREQUAL "")
    set(version "${DOCKER_PIPELINE_VERSION}")
  elseif(DEFINED _dp_VERSION)
    set(version "${_dp_VERSION}")
  elseif(DEFINED _dp_VERSION_FROM)
    _docker_pipeline_version_from(version version_json "${name}" "${context}" _dp_VERSION_FROM)
  elseif(NOT PROJECT_VERSION STREQUAL "")
    set(version "${PROJECT_VERSION}")
  else()
    _docker_pipeline_fail("${name}"
      "no VERSION given and the project has no version; pass VERSION <version> or VERSION_FROM GIT")
  endif()
  # For COMMENTs: what is known of the version now.
  if(version STREQUAL "")
    list(GET _dp_VERSION_FROM 0 version_source)
    string(TOLOWER "${version_source}" version_source)
    set(version_text "(version from ${version_source})")
    set(image_text "${_dp_IMAGE} ${version_text}")
  else()
    set(version_text "${version}")
    set(image_text "${_dp_IMAGE}:${version}")
  endif()

  # BUILD_ARGS, STAMP, DIST_DIR
  foreach(arg IN LISTS _dp_BUILD_ARGS)
    if(NOT arg MATCHES "^[A-Za-z_][A-Za-z0-9_]*=")
      # The value is never quoted: it may be a secret.
      string(REGEX REPLACE "=.*" "=..." shown "${arg}")
      _docker_pipeline_fail("${name}" "BUILD_ARGS entry '${shown}' is not NAME=VALUE")
    endif()
    if(arg MATCHES "^ARG_VERSION=")
      _docker_pipeline_fail("${name}" "BUILD_ARGS sets ARG_VERSION, which comes from VERSION; set VERSION instead")
    endif()
    if(arg MATCHES "^(SETUPTOOLS_SCM_PRETEND_VERSION|PDM_BUILD_SCM_VERSION)=")
      _docker_pipeline_fail("${name}" "BUILD_ARGS sets ${CMAKE_MATCH_1}, which the pipeline passes with the version when the Dockerfile declares ARG ${CMAKE_MATCH_1}; drop it")
    endif()
  endforeach()
  _docker_pipeline_matrix(matrix_json "${name}" _dp_MATRIX _dp_BUILD_ARGS)
  set(stamp_files "")
  foreach(file IN LISTS _dp_STAMP)
    cmake_path(ABSOLUTE_PATH file BASE_DIRECTORY "${context}" NORMALIZE OUTPUT_VARIABLE stamp_path)
    _docker_pipeline_is_inside(inside "${stamp_path}" "${context}")
    if(NOT inside)
      _docker_pipeline_fail("${name}" "STAMP file '${file}' lies outside CONTEXT ${context}")
    endif()
    if(IS_SYMLINK "${stamp_path}")
      _docker_pipeline_fail("${name}"
        "STAMP file '${file}' is a symbolic link (${stamp_path}); stamp the file it points to")
    endif()
    if(NOT EXISTS "${stamp_path}")
      _docker_pipeline_fail("${name}" "STAMP file '${file}' does not exist (looked at ${stamp_path})")
    endif()
    if(IS_DIRECTORY "${stamp_path}")
      _docker_pipeline_fail("${name}" "STAMP file '${file}' is a directory (${stamp_path}); name the files in it")
    endif()
    cmake_path(RELATIVE_PATH stamp_path BASE_DIRECTORY "${context}")
    list(APPEND stamp_files "${stamp_path}")
  endforeach()
  if(DEFINED _dp_DIST_DIR AND NOT _dp_DIST_DIR MATCHES "^/")
    _docker_pipeline_fail("${name}" "DIST_DIR '${_dp_DIST_DIR}' must be an absolute path inside the image")
  endif()

  # The container stage
  foreach(entry IN LISTS _dp_TEST_ENV)
    if(NOT entry MATCHES "^[A-Za-z_][A-Za-z0-9_]*=")
      string(REGEX REPLACE "=.*" "=..." shown "${entry}")
      _docker_pipeline_fail("${name}" "TEST_ENV entry '${shown}' is not NAME=VALUE")
    endif()
  endforeach()
  if(DEFINED _dp_TEST_TIMEOUT AND NOT _dp_TEST_TIMEOUT MATCHES "^[0-9]+(\\.[0-9]+)?$")
    _docker_pipeline_fail("${name}" "TEST_TIMEOUT '${_dp_TEST_TIMEOUT}' is not a number of seconds")
  endif()
  # Each lands in artifacts/<its last path component>: there must be one, and no two the same.
  set(artifact_names "")
  foreach(path IN LISTS _dp_ARTIFACTS)
    if(NOT path MATCHES "^/")
      _docker_pipeline_fail("${name}" "ARTIFACTS path '${path}' must be an absolute path inside the image")
    endif()
    string(REGEX REPLACE "/+$" "" trimmed "${path}")
    string(REGEX REPLACE "^.*/" "" artifact_name "${trimmed}")
    if(artifact_name STREQUAL "" OR artifact_name STREQUAL "." OR artifact_name STREQUAL "..")
      _docker_pipeline_fail("${name}" "ARTIFACTS path '${path}' names no file or folder to copy")
    endif()
    _docker_pipeline_claim_name("${name}" artifact_names _dp_ARTIFACTS "${artifact_name}" "${path}"
      "ARTIFACTS '<first>' and '<item>' would both be copied to artifacts/<name>; copy their parent folder instead")
  endforeach()
  # The verify stage
  set(verify_tags "")
  foreach(image IN LISTS _dp_VERIFY_IMAGES)
    if(NOT image MATCHES ":([A-Za-z0-9_][A-Za-z0-9_.-]*)$")
      _docker_pipeline_fail("${name}" "VERIFY_IMAGES '${image}' has no tag; name one (image:tag)")
    endif()
    _docker_pipeline_claim_name("${name}" verify_tags _dp_VERIFY_IMAGES "${CMAKE_MATCH_1}" "${image}"
      "VERIFY_IMAGES '<first>' and '<item>' have one tag, <name>; verify each image once, under tags of their own")
  endforeach()
  if(_dp_VERIFY_IMAGES)
    if(NOT _dp_TEST_COMMAND AND NOT _dp_VERIFY_COMMAND)
      _docker_pipeline_fail("${name}" "VERIFY_IMAGES is given without VERIFY_COMMAND or TEST_COMMAND; give the command to run")
    endif()
    if(NOT DEFINED _dp_DIST_DIR)
      _docker_pipeline_fail("${name}" "VERIFY_IMAGES is given without DIST_DIR; verify installs the dists DIST_DIR holds")
    endif()
  endif()
  set(verify_files "")
  foreach(file IN LISTS _dp_VERIFY_FILES)
    cmake_path(ABSOLUTE_PATH file BASE_DIRECTORY "${context}" NORMALIZE OUTPUT_VARIABLE verify_path)
    _docker_pipeline_is_inside(inside "${verify_path}" "${context}")
    if(NOT inside OR verify_path STREQUAL context)
      _docker_pipeline_fail("${name}" "VERIFY_FILES '${file}' lies outside CONTEXT ${context}; name files or folders inside it")
    endif()
    if(NOT EXISTS "${verify_path}")
      _docker_pipeline_fail("${name}" "VERIFY_FILES '${file}' does not exist (looked at ${verify_path})")
    endif()
    cmake_path(RELATIVE_PATH verify_path BASE_DIRECTORY "${context}")
    list(APPEND verify_files "${verify_path}")
  endforeach()
  set(wheelhouse "")
  if(DEFINED _dp_WHEELHOUSE)
    cmake_path(ABSOLUTE_PATH _dp_WHEELHOUSE BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE
      OUTPUT_VARIABLE wheelhouse)
    string(REGEX REPLACE "(.)/$" "\\1" wheelhouse "${wheelhouse}")
    if(NOT IS_DIRECTORY "${wheelhouse}")
      _docker_pipeline_fail("${name}" "WHEELHOUSE '${_dp_WHEELHOUSE}' is not a directory (looked at ${wheelhouse}); fill it first (pip download)")
    endif()
  endif()

  set(secrets "")
  foreach(secret IN LISTS _dp_SECRETS)
    _docker_pipeline_secret("${name}" "${secret}" normalized)
    list(APPEND secrets "${normalized}")
  endforeach()
  if(DEFINED _dp_ENGINE)
    set(engine "${_dp_ENGINE}")
  else()
    set(engine "${DOCKER_PIPELINE_ENGINE}")
  endif()
  if(NOT engine MATCHES "^(docker|podman|)$")
    _docker_pipeline_fail("${name}" "ENGINE '${engine}' is not docker or podman (empty: detect one)")
  endif()
  if(NOT DEFINED _dp_VERIFY_SDIST)
    set(_dp_VERIFY_SDIST ON)
  endif()
  if(DEFINED _dp_PUSH AND NOT _dp_PUSH MATCHES "^(localhost|[^/]*[.:][^/]*)/[a-z0-9]+([._/-]+[a-z0-9]+)*$")
    _docker_pipeline_fail("${name}" "PUSH '${_dp_PUSH}' is not <registry>/<repository>: a registry host (with a '.' or ':', or localhost) and a lower-case repository, such as 127.0.0.1:5000/team/app")
  endif()
  if(DEFINED _dp_PUSH_LATEST AND NOT DEFINED _dp_PUSH)
    _docker_pipeline_fail("${name}" "PUSH_LATEST is given without PUSH; name the registry and repository to push to")
  endif()
  foreach(switch IN ITEMS PULL LATEST VERIFY_SDIST PUSH_LATEST)
    if(DEFINED _dp_${switch} AND NOT _dp_${switch} MATCHES "^(ON|OFF|TRUE|FALSE|YES|NO|1|0)$")
      _docker_pipeline_fail("${name}" "${switch} '${_dp_${switch}}' is not ON or OFF")
    endif()
  endforeach()

  # The pipeline file: the one description every stage reads.
  # A multi-config generator gets one pipeline file (and one set of records) per configuration,
  # so that $<CONFIG> may appear in what the file holds.
  get_property(multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  if(multi_config)
    set(pipeline_file "${CMAKE_CURRENT_BINARY_DIR}/$<CONFIG>/${name}.pipeline.json")
    set(work_dir "${CMAKE_CURRENT_BINARY_DIR}/docker-pipeline/$<CONFIG>/${name}")
  else()
    set(pipeline_file "${CMAKE_CURRENT_BINARY_DIR}/${name}.pipeline.json")
    set(work_dir "${CMAKE_CURRENT_BINARY_DIR}/docker-pipeline/${name}")
  endif()
  set(json "{}")
  # What the helper checks first: it refuses a newer major format (see the rst header above).
  _docker_pipeline_format(format)
  _docker_pipeline_json_string(json "${json}" format "${format}")
  _docker_pipeline_json_string(json "${json}" name "${name}")
  _docker_pipeline_json_string(json "${json}" context "${context}")
  _docker_pipeline_json_string(json "${json}" dockerfile "${dockerfile}")
  _docker_pipeline_json_string(json "${json}" image "${_dp_IMAGE}")
  if(version_json STREQUAL "")
    _docker_pipeline_json_string(json "${json}" version "${version}")
  else()
    string(JSON json SET "${json}" version_from "${version_json}")
  endif()
  _docker_pipeline_json_string_array(json "${json}" build_args _dp_BUILD_ARGS)
  _docker_pipeline_json_string_array(json "${json}" stamp stamp_files)
  _docker_pipeline_json_string_array(json "${json}" test_command _dp_TEST_COMMAND)
  _docker_pipeline_json_string(json "${json}" dist_dir "${_dp_DIST_DIR}")
  _docker_pipeline_json_string_array(json "${json}" test_env _dp_TEST_ENV)
  if(DEFINED _dp_TEST_TIMEOUT)
    string(JSON json SET "${json}" test_timeout "${_dp_TEST_TIMEOUT}")
  endif()
  _docker_pipeline_json_string_array(json "${json}" artifacts _dp_ARTIFACTS)
  _docker_pipeline_json_string_array(json "${json}" secrets secrets)
  _docker_pipeline_json_string(json "${json}" engine "${engine}")
  foreach(switch IN ITEMS PULL LATEST)
    string(TOLOWER "${switch}" member)
    _docker_pipeline_json_bool(json "${json}" ${member} _dp_${switch})
  endforeach()
  if(NOT DOCKER_PIPELINE_REPOSITORY STREQUAL "")
    set(_dp_REPOSITORY "${DOCKER_PIPELINE_REPOSITORY}")
  endif()
  _docker_pipeline_json_string(json "${json}" repository "${_dp_REPOSITORY}")
  if(NOT DOCKER_PIPELINE_TRUSTED_PUBLISHING STREQUAL "")
    set(_dp_TRUSTED_PUBLISHING "${DOCKER_PIPELINE_TRUSTED_PUBLISHING}")
  endif()
  if(DEFINED _dp_TRUSTED_PUBLISHING)
    if(NOT _dp_TRUSTED_PUBLISHING MATCHES "^(auto|always|never)$")
      _docker_pipeline_fail("${name}"
        "TRUSTED_PUBLISHING is '${_dp_TRUSTED_PUBLISHING}'; use auto, always or never")
    endif()
    _docker_pipeline_json_string(json "${json}" trusted_publishing "${_dp_TRUSTED_PUBLISHING}")
  endif()
  foreach(option IN LISTS options)
    string(TOLOWER "${option}" member)
    _docker_pipeline_json_bool(json "${json}" ${member} _dp_${option})
  endforeach()
  _docker_pipeline_json_string_array(json "${json}" verify_images _dp_VERIFY_IMAGES)
  _docker_pipeline_json_string_array(json "${json}" verify_command _dp_VERIFY_COMMAND)
  _docker_pipeline_json_string_array(json "${json}" verify_files verify_files)
  _docker_pipeline_json_bool(json "${json}" verify_sdist _dp_VERIFY_SDIST)
  _docker_pipeline_json_string(json "${json}" wheelhouse "${wheelhouse}")
  if(DEFINED _dp_PUSH)
    set(push "{}")
    _docker_pipeline_json_string(push "${push}" repository "${_dp_PUSH}")
    _docker_pipeline_json_bool(push "${push}" latest _dp_PUSH_LATEST)
    string(JSON json SET "${json}" push "${push}")
  endif()
  if(NOT matrix_json STREQUAL "")
    string(JSON json SET "${json}" matrix "${matrix_json}")
  endif()
  _docker_pipeline_json_bool(json "${json}" force DOCKER_PIPELINE_FORCE)
  _docker_pipeline_json_string(json "${json}" work_dir "${work_dir}")
  _docker_pipeline_json_string(json "${json}" output_dir "${CMAKE_CURRENT_BINARY_DIR}/${name}")
  _docker_pipeline_json_string(json "${json}" binary_dir "${CMAKE_BINARY_DIR}")
  file(GENERATE OUTPUT "${pipeline_file}" CONTENT "${json}\n")

  # Runs on every build: the helper compares what determines the image (context, Dockerfile,
  # build args, version, base images) with what the last build recorded, and builds only when
  # something changed or the image is gone, which a file-level dependency could not notice.
  set(helper DockerPipeline::docker-pipeline)
  set(terminal "")
  if(DOCKER_PIPELINE_LIVE_OUTPUT)
    set(terminal USES_TERMINAL)
  endif()
  add_custom_target(${name}-image
    COMMAND ${helper} build --pipeline "${pipeline_file}"
    BYPRODUCTS "${work_dir}/image.iid"
    COMMENT "Building Docker image ${image_text} (pipeline ${name})"
    ${terminal} VERBATIM)
  add_dependencies(${name}-image ${helper})

  add_custom_target(${name}-test
    COMMAND ${helper} test --pipeline "${pipeline_file}"
    COMMENT "Testing ${image_text} in a container (pipeline ${name})"
    ${terminal} VERBATIM)
  add_dependencies(${name}-test ${name}-image)

  list(LENGTH _dp_VERIFY_IMAGES verify_count)
  add_custom_target(${name}-verify
    COMMAND ${helper} verify --pipeline "${pipeline_file}"
    COMMENT "Verifying ${name} ${version_text} on ${verify_count} clean image(s) (pipeline ${name})"
    ${terminal} VERBATIM)
  add_dependencies(${name}-verify ${name}-test)

  add_custom_target(${name}-publish
    COMMAND ${helper} publish --pipeline "${pipeline_file}"
    COMMENT "Publishing ${name} ${version_text}"
    ${terminal} VERBATIM)
  add_dependencies(${name}-publish ${name}-verify)
  add_custom_target(${name}-preflight
    COMMAND ${helper} publish --preflight --pipeline "${pipeline_file}"
    COMMENT "Checking that ${name} ${version_text} can be published"
    ${terminal} VERBATIM)
  add_dependencies(${name}-preflight ${name}-test)

  set_property(TARGET ${name}-image ${name}-test ${name}-verify ${name}-publish ${name}-preflight
    PROPERTY FOLDER "DockerPipeline/${name}")
  _docker_pipeline_aggregate(docker-images ${name}-image "Building every pipeline's Docker image")
  _docker_pipeline_aggregate(docker-tests ${name}-test "Testing every pipeline in its container")
  _docker_pipeline_aggregate(docker-verify ${name}-verify "Verifying every pipeline's dists in clean images")
  _docker_pipeline_aggregate(publish ${name}-publish "Publishing every pipeline")

  # `ctest` alone builds and tests: the image build is the container tests' fixture.
  add_test(NAME ${name}.image
    COMMAND "${CMAKE_COMMAND}" --build "${CMAKE_BINARY_DIR}" --config $<CONFIG> --target ${name}-image)
  add_test(NAME ${name}.container-tests
    COMMAND "${CMAKE_COMMAND}" --build "${CMAKE_BINARY_DIR}" --config $<CONFIG> --target ${name}-test)
  set_tests_properties(${name}.image PROPERTIES FIXTURES_SETUP ${name}.image)
  set_tests_properties(${name}.container-tests PROPERTIES
    FIXTURES_REQUIRED ${name}.image FIXTURES_SETUP ${name}.tested)
  foreach(image tag IN ZIP_LISTS _dp_VERIFY_IMAGES verify_tags)
    add_test(NAME ${name}.verify.${tag}
      COMMAND "$<TARGET_FILE:${helper}>" verify --pipeline "${pipeline_file}" --image "${image}")
    set_tests_properties(${name}.verify.${tag} PROPERTIES FIXTURES_REQUIRED ${name}.tested)
  endforeach()

  if(_dp_DEPENDS)
    # At the end of the top-level directory, when every pipeline and target is known.
    cmake_language(EVAL CODE "
      cmake_language(DEFER DIRECTORY \"${CMAKE_SOURCE_DIR}\"
        CALL _docker_pipeline_add_depends [[${name}]] ${_dp_DEPENDS})")
  endif()

  set_property(GLOBAL APPEND PROPERTY DOCKER_PIPELINE_NAMES "${name}")
  set_property(GLOBAL PROPERTY DOCKER_PIPELINE_DIR_${name} "${CMAKE_CURRENT_SOURCE_DIR}")
endfunction()

# DEPENDS: a pipeline name orders this pipeline's image after that pipeline's image (an image
# built FROM it); any other target is built first (a CMake-built extension the package holds).
function(_docker_pipeline_add_depends name)
  get_property(known_pipelines GLOBAL PROPERTY DOCKER_PIPELINE_NAMES)
  foreach(dependency IN LISTS ARGN)
    if(dependency STREQUAL name)
      _docker_pipeline_fail("${name}" "DEPENDS names the pipeline itself")
    elseif(dependency IN_LIST known_pipelines)
      add_dependencies(${name}-image ${dependency}-image)
    elseif(TARGET ${dependency})
      add_dependencies(${name}-image ${dependency})
    else()
      _docker_pipeline_fail("${name}"
        "DEPENDS '${dependency}' is neither a pipeline nor a target of this build")
    endif()
  endforeach()
endfunction()
