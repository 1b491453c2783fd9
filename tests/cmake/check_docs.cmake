# The CMake reference has one source, the rst header of the module, and this checks both of its
# uses: every keyword add_docker_pipeline() parses and every cache variable the module defines is
# documented in that header, and the README's CMake reference is what
# scripts/render-cmake-reference renders from it.
#   cmake -DMODULE=<DockerPipeline.cmake> -DREADME=<README.md> -DPYTHON=<python3>
#         -DRENDER=<scripts/render-cmake-reference> -P check_docs.cmake
file(READ "${MODULE}" module)

string(REGEX MATCH "#\\[=+\\[\\.rst:(.*)#\\]=+\\]" rst "${module}")
if(NOT rst)
  message(FATAL_ERROR "${MODULE}: no rst header (#[=[.rst: ... #]=])")
endif()

set(keywords "")
foreach(kind IN ITEMS options one_value multi_value)
  string(REGEX MATCH "\n  set\\(${kind} ([^)]*)\\)" match "${module}")
  if(NOT match)
    message(FATAL_ERROR "${MODULE}: no set(${kind} ...) in add_docker_pipeline()")
  endif()
  string(REGEX REPLACE "[ \n]+" ";" words "${CMAKE_MATCH_1}")
  list(APPEND keywords ${words})
endforeach()
string(REGEX MATCHALL "\n(set|option)\\((DOCKER_PIPELINE_[A-Z_]+)" cache_lines "${module}")
set(variables "")
foreach(line IN LISTS cache_lines)
  string(REGEX REPLACE ".*\\((DOCKER_PIPELINE_[A-Z_]+)" "\\1" variable "${line}")
  list(APPEND variables "${variable}")
endforeach()
list(LENGTH keywords keyword_count)
list(LENGTH variables variable_count)
if(keyword_count LESS 10 OR variable_count LESS 1)
  message(FATAL_ERROR "found only ${keyword_count} keywords and ${variable_count} cache variables; is the parsing stale?")
endif()

set(missing "")
foreach(keyword IN LISTS keywords)
  string(FIND "${rst}" "``${keyword}``" in_rst)
  if(in_rst EQUAL -1)
    list(APPEND missing "keyword ${keyword}")
  endif()
endforeach()
foreach(variable IN LISTS variables)
  string(FIND "${rst}" ".. variable:: ${variable}" in_rst)
  if(in_rst EQUAL -1)
    list(APPEND missing "cache variable ${variable}")
  endif()
endforeach()
if(missing)
  list(JOIN missing "\n  " text)
  message(FATAL_ERROR "not documented in the rst header of ${MODULE}:\n  ${text}")
endif()
message(STATUS "${keyword_count} keywords and ${variable_count} cache variables documented in the rst header")

# The README's copy: rendered by the script, compared by it (a diff and how to regenerate).
execute_process(
  COMMAND "${PYTHON}" "${RENDER}" --check --module "${MODULE}" --readme "${README}"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${README}: its CMake reference is not the rendering of the rst header of "
    "${MODULE} (see above); edit the rst header, then run scripts/render-cmake-reference")
endif()
