# A closed standard output pipe is a failed write (docs/check.md, "Inputs and outputs": any
# failed write, a closed pipe included, exits 2), not a death by SIGPIPE (exit 141).
#   cmake -DUPRANK=... -DSOURCE_DIR=... -P closed_pipe.cmake
# The reader (`true`) is gone before uprank starts (it waits a second), so uprank's first
# write meets a pipe with no reader, whatever the report's size.
set(command "{ sleep 1; \"${UPRANK}\" check tests/golden/pins/repo --snapshot data/snapshot.json --today 2026-09-01 --format json; } | true; exit \${PIPESTATUS[0]}")
set(ENV{UPRANK_RULES} "${SOURCE_DIR}/rules")
foreach(attempt RANGE 1 3)
  execute_process(COMMAND bash -c "${command}" WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE code
                  ERROR_VARIABLE err OUTPUT_QUIET TIMEOUT 120)
  if(code EQUAL 141)
    message(FATAL_ERROR "killed by SIGPIPE (exit 141), want exit 2:\n${err}")
  endif()
  if(code EQUAL 2 AND err MATCHES "cannot write standard output")
    return()
  endif()
endforeach()
message(FATAL_ERROR "exit ${code}, want 2 with 'cannot write standard output':\n${err}")
