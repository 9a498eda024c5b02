# Regenerates the SSVC table tests into a temporary file and fails when the committed
# rules/ssvc/ssvc_table_test.upr differs, so the tests can never drift from the tables.
# Usage: cmake -DSOURCE_DIR=... -DOUT=... -P ssvc_table_tests_current.cmake
execute_process(COMMAND python3 ${SOURCE_DIR}/scripts/gen-ssvc-table-tests ${OUT} RESULT_VARIABLE generated)
if(NOT generated EQUAL 0)
  message(FATAL_ERROR "scripts/gen-ssvc-table-tests failed (${generated})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${SOURCE_DIR}/rules/ssvc/ssvc_table_test.upr
                RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  message(FATAL_ERROR "rules/ssvc/ssvc_table_test.upr is out of date with rules/ssvc/data/*.csv: "
                      "run scripts/gen-ssvc-table-tests and commit the result")
endif()
