# expect_json(<json> <expected value> <member path>...): fails the case unless the member equals it.
function(expect_json json expected)
  string(JSON actual ERROR_VARIABLE error GET "${json}" ${ARGN})
  if(error OR NOT actual STREQUAL expected)
    message(FATAL_ERROR "case ${CASE}: pipeline file member '${ARGN}' is '${actual}' (${error}), expected '${expected}'")
  endif()
endfunction()

# expect_output_lists(<command output> <item>...): fails unless every item appears in the output.
function(expect_output_lists output)
  foreach(item IN LISTS ARGN)
    string(FIND "${output}" "${item}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "case ${CASE}: '${item}' missing from:\n${output}")
    endif()
  endforeach()
endfunction()
