# Runs one golden case: tests/golden/<case>/args holds the uprank arguments, one per
# line, run from the repository root; want.out, want.err and want.exit hold what it must
# print and return, with the build tree's path written <build> (`uprank --version` names
# the folder it reads packs from). Refresh on purpose with: UPRANK_UPDATE_GOLDEN=1 ctest -L golden
file(STRINGS "${CASE_DIR}/args" arguments ENCODING UTF-8)
execute_process(COMMAND "${UPRANK}" ${arguments}
                WORKING_DIRECTORY "${SOURCE_DIR}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code
                TIMEOUT 120)
string(REPLACE "${BUILD_DIR}" "<build>" out "${out}")
string(REPLACE "${BUILD_DIR}" "<build>" err "${err}")
if(DEFINED ENV{UPRANK_UPDATE_GOLDEN})
  file(WRITE "${CASE_DIR}/want.out" "${out}")
  file(WRITE "${CASE_DIR}/want.err" "${err}")
  file(WRITE "${CASE_DIR}/want.exit" "${code}\n")
  message(STATUS "refreshed ${CASE_DIR}")
  return()
endif()
set(failed FALSE)
foreach(stream out err)
  set(want "")
  if(EXISTS "${CASE_DIR}/want.${stream}")
    file(READ "${CASE_DIR}/want.${stream}" want)
  endif()
  if(NOT "${${stream}}" STREQUAL "${want}")
    file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/got.${stream}" "${${stream}}")
    message(SEND_ERROR "std${stream} differs from ${CASE_DIR}/want.${stream}:\n--- got ---\n${${stream}}--- want ---\n${want}")
    set(failed TRUE)
  endif()
endforeach()
# A JSON report must validate against the published schema, whatever want.out says.
list(FIND arguments "--format" format_at)
if(format_at GREATER -1 AND "${out}" MATCHES "^{")
  math(EXPR format_at "${format_at} + 1")
  list(GET arguments ${format_at} format)
  # `uprank advisory` and `uprank explain` have schemas of their own; every other JSON
  # output is the report's.
  list(GET arguments 0 command)
  set(schema "report")
  if(command STREQUAL "advisory" OR command STREQUAL "explain")
    set(schema "${command}")
  endif()
  if(format STREQUAL "json")
    get_filename_component(case "${CASE_DIR}" NAME)
    set(report "${CMAKE_CURRENT_BINARY_DIR}/golden-${case}.report.json")
    file(WRITE "${report}" "${out}")
    execute_process(COMMAND "${PYTHON3}" "${SOURCE_DIR}/tests/support/validate_json.py"
                            "${SOURCE_DIR}/docs/${schema}.schema.json" "${report}"
                    RESULT_VARIABLE valid ERROR_VARIABLE violations)
    if(NOT valid EQUAL 0)
      message(SEND_ERROR "the JSON output does not validate against docs/${schema}.schema.json:\n${violations}")
    endif()
  endif()
endif()
file(READ "${CASE_DIR}/want.exit" want_code)
string(STRIP "${want_code}" want_code)
if(NOT "${code}" STREQUAL "${want_code}")
  message(SEND_ERROR "exit code ${code}, want ${want_code}")
endif()
