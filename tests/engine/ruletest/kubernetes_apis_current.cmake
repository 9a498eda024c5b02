# Regenerates the Kubernetes API pack into a temporary file and fails when the committed
# rules/compatibility/kubernetes_apis.upr differs, so the pack can never drift from its data.
# Usage: cmake -DSOURCE_DIR=... -DOUT=... -P kubernetes_apis_current.cmake
execute_process(COMMAND /usr/bin/python3 ${SOURCE_DIR}/scripts/gen-kubernetes-apis ${OUT} RESULT_VARIABLE generated)
if(NOT generated EQUAL 0)
  message(FATAL_ERROR "scripts/gen-kubernetes-apis failed (${generated})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${SOURCE_DIR}/rules/compatibility/kubernetes_apis.upr
                RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  message(FATAL_ERROR "rules/compatibility/kubernetes_apis.upr is out of date with "
                      "rules/compatibility/data/pluto-versions.yaml: run scripts/gen-kubernetes-apis and commit the result")
endif()
