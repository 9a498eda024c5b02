# `uprank check` on an empty directory (git cannot hold one, so the test makes it) is an
# error, never a clean pass: exit 2 and a message naming the path.
#   cmake -DUPRANK=... -DSOURCE_DIR=... -DWORK=DIR -P empty_directory.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/empty/.git" "${WORK}/empty/sub")
execute_process(COMMAND "${UPRANK}" check "${WORK}/empty" --snapshot data/snapshot.json --today 2026-09-01
                WORKING_DIRECTORY "${SOURCE_DIR}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code TIMEOUT 120)
if(NOT code EQUAL 2 OR NOT err MATCHES "empty: the directory is empty; there is nothing to check" OR NOT out STREQUAL "")
  message(FATAL_ERROR "want exit 2 and an error naming the empty directory; got exit ${code}\nstdout:\n${out}\nstderr:\n${err}")
endif()
