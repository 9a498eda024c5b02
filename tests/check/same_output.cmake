# `uprank check` prints paths relative to the repository root whatever the working
# directory: run from outside (`cd WORK && uprank check REPO`) and from inside (`cd REPO &&
# uprank check`), and from a subfolder naming the root (`cd REPO/SUB && uprank check ..`),
# the output must be the same byte for byte, in every format. The repository is a copy of
# FIXTURE placed at SUB inside a git work tree (a `.git` folder at WORK/repo), so that the
# paths must also carry the SUB/ prefix: the root is git's top level, not the checked path.
#   cmake -DUPRANK=... -DSOURCE_DIR=... -DFIXTURE=DIR -DWORK=DIR -P same_output.cmake
set(SUB deploy)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/repo/.git")
file(COPY "${FIXTURE}/" DESTINATION "${WORK}/repo/${SUB}")
set(common --rules "${SOURCE_DIR}/rules" --snapshot "${SOURCE_DIR}/data/snapshot.json" --today 2026-09-01)
foreach(format table json sarif codequality)
  set(outputs "")
  foreach(run "${WORK}|repo/${SUB}" "${WORK}/repo/${SUB}|." "${WORK}/repo|${SUB}")
    string(REPLACE "|" ";" run "${run}")
    list(GET run 0 directory)
    list(GET run 1 path)
    execute_process(COMMAND "${UPRANK}" check "${path}" --format ${format} ${common}
                    WORKING_DIRECTORY "${directory}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code
                    TIMEOUT 120)
    if(NOT code EQUAL 0 AND NOT code EQUAL 1)
      message(FATAL_ERROR "cd ${directory} && uprank check ${path} exited ${code}:\n${err}")
    endif()
    list(APPEND outputs "${out}${err}")
  endforeach()
  list(GET outputs 0 first)
  foreach(other IN LISTS outputs)
    if(NOT other STREQUAL first)
      message(FATAL_ERROR "--format ${format}: output depends on the working directory:\n${first}\n---\n${other}")
    endif()
  endforeach()
  if(NOT first MATCHES "${SUB}/")
    message(FATAL_ERROR "--format ${format}: paths are not relative to the git top level (no '${SUB}/'):\n${first}")
  endif()
endforeach()
