# `uprank check` prints paths relative to the repository root whatever the working
# directory: run from outside (`cd WORK && uprank check repo/SUB`), from inside (`cd repo/SUB
# && uprank check .`) and from a subfolder naming it (`cd repo/SUB/infra && uprank check ..`),
# and through a symbolic link to the repository, the output must be the same byte for byte, in every format. The repository is a copy of
# FIXTURE placed at SUB inside a git work tree (a `.git` folder at WORK/repo), so that the
# paths must also carry the SUB/ prefix: the root is git's top level, not the checked path.
#   cmake -DUPRANK=... -DSOURCE_DIR=... -DFIXTURE=DIR -DWORK=DIR -P same_output.cmake
set(SUB deploy)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/repo/.git")
file(COPY "${FIXTURE}/" DESTINATION "${WORK}/repo/${SUB}")
# A broken file too: its diagnostic on stderr must name it the same way from everywhere.
file(WRITE "${WORK}/repo/${SUB}/broken/docker-compose.yml" "services:\n  web:\n    image: [nginx\n")
set(common --snapshot "${SOURCE_DIR}/data/snapshot.json" --today 2026-09-01)
# Outputs hold ';', so each goes in its own variable, never in a CMake list.
# And through a symbolic link to the repository: its files resolve to the same root.
file(CREATE_LINK "${WORK}/repo" "${WORK}/link" SYMBOLIC)
set(runs "${WORK}|repo/${SUB}" "${WORK}/repo/${SUB}|." "${WORK}/repo/${SUB}/infra|.." "${WORK}|link/${SUB}"
         "${WORK}/repo|../link/${SUB}/infra/..")
foreach(format table json sarif codequality)
  set(index 0)
  foreach(run IN LISTS runs)
    string(REPLACE "|" ";" run "${run}")
    list(GET run 0 directory)
    list(GET run 1 path)
    execute_process(COMMAND "${UPRANK}" check "${path}" --format ${format} ${common}
                    WORKING_DIRECTORY "${directory}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code
                    TIMEOUT 120)
    if(NOT code EQUAL 0 AND NOT code EQUAL 1)
      message(FATAL_ERROR "cd ${directory} && uprank check ${path} exited ${code}:\n${err}")
    endif()
    set(output_${index} "${out}${err}")
    if(NOT index EQUAL 0 AND NOT output_${index} STREQUAL output_0)
      message(FATAL_ERROR "--format ${format}: `cd ${directory} && uprank check ${path}` differs from the first run:\n"
                          "${output_0}\n---\n${output_${index}}")
    endif()
    math(EXPR index "${index} + 1")
  endforeach()
  if(NOT output_0 MATCHES "error: ${SUB}/broken/docker-compose.yml:")
    message(FATAL_ERROR "--format ${format}: the broken file's diagnostic is not repository-relative:\n${output_0}")
  endif()
  if(NOT output_0 MATCHES "${SUB}/")
    message(FATAL_ERROR "--format ${format}: paths are not relative to the git top level (no '${SUB}/'):\n${output_0}")
  endif()
endforeach()
