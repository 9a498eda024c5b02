# Validates SARIF with Microsoft's SARIF Multitool (`validate --rule-kind "Gh;Sarif"`: the
# SARIF 2.1.0 schema and rules, and GitHub code scanning's ingestion rules) and requires no
# error and no warning. With REPO set it validates what `uprank check REPO --format sarif`
# writes; with INVENTORY, `uprank report --inventory INVENTORY`'s; with SARIF, that file. EXPECT=invalid inverts the verdict, so that a broken
# log shows the test can fail.
#   cmake -DUPRANK=... -DMULTITOOL=... -DSOURCE_DIR=... -DWORK=DIR (-DREPO=DIR | -DINVENTORY=PATH | -DSARIF=FILE)
#         [-DEXPECT=invalid] -P validate_sarif.cmake
file(MAKE_DIRECTORY "${WORK}")
if(DEFINED REPO OR DEFINED INVENTORY)
  if(DEFINED REPO)
    set(command check "${REPO}")
  else()
    set(command report --inventory "${INVENTORY}")
  endif()
  set(SARIF "${WORK}/uprank.sarif")
  execute_process(COMMAND "${UPRANK}" ${command} --format sarif -o "${SARIF}"
                          --snapshot data/snapshot.json --today 2026-09-01
                  WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE code ERROR_VARIABLE err TIMEOUT 120)
  if(NOT code EQUAL 0 AND NOT code EQUAL 1)
    message(FATAL_ERROR "uprank ${command} exited ${code}:\n${err}")
  endif()
endif()
# Its own log (-o) would be SARIF again; the console lines are the verdicts, one per issue:
# "FILE(LINE,COL): error GH1015: ...". Notes (suggestions such as "add a snippet") are not asked for.
execute_process(COMMAND "${MULTITOOL}" validate --rule-kind "Gh;Sarif" "${SARIF}"
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code TIMEOUT 300)
message(STATUS "${out}${err}")
if(NOT code EQUAL 0 OR NOT out MATCHES "Analysis completed successfully")
  message(FATAL_ERROR "the SARIF Multitool did not complete (exit ${code})")
endif()
string(REGEX MATCHALL "\\): (error|warning) [A-Z]+[0-9]+:" issues "${out}")
list(LENGTH issues count)
if(EXPECT STREQUAL "invalid")
  if(count EQUAL 0)
    message(FATAL_ERROR "${SARIF} is broken on purpose, but the Multitool found no error or warning")
  endif()
elseif(NOT count EQUAL 0)
  message(FATAL_ERROR "${count} error(s) and warning(s) in ${SARIF}")
endif()
