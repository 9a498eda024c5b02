# The acceptance test of baselines (#12): a small infrastructure repository in a real
# temporary git repository goes through three states.
#   A  is baselined (--write-baseline);
#   B  moves lines (Dockerfile), reformats a file and bumps an unrelated pin and a patch of
#      an end-of-life line (compose.yaml), and adds one end-of-life pin (k8s/cronjob.yaml):
#      exactly one finding gates at --fail-on high, with --baseline and with
#      --changed-since (B committed on A);
#   C  fixes an old finding (nginx upgraded): reported as fixed; and pins rabbitmq by its
#      line (3.13.7 -> 3.13), which leaves its advisories unchecked: its advisory finding
#      is reported as no longer checked, not as fixed.
# Each step's output is compared with want/<step>.{out,exit}; B is also rendered as a
# Markdown comment, and a file-scoped waiver is
# run from two working directories with the same result.
# Refresh on purpose with UPRANK_UPDATE_GOLDEN=1.
set(repo "${WORK_DIR}/repo")
set(want_dir "${CASE_DIR}/want")
set(failed FALSE)

function(git)
  # Never reach the enclosing checkout's repository: only the temporary one.
  if(NOT IS_DIRECTORY "${repo}/.git")
    message(FATAL_ERROR "${repo}/.git is missing: refusing to run git ${ARGN}")
  endif()
  execute_process(COMMAND git -c user.name=uprank -c user.email=uprank@example.invalid -c init.defaultBranch=main
                          -c commit.gpgsign=false ${ARGN}
                  WORKING_DIRECTORY "${repo}" RESULT_VARIABLE code OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "git ${ARGN}: ${err}")
  endif()
endfunction()

# Replaces the repository's files (not .git) with those of state `state`.
function(checkout_state state)
  file(GLOB old LIST_DIRECTORIES true "${repo}/*")
  foreach(path ${old})
    if(NOT path STREQUAL "${repo}/.git")
      file(REMOVE_RECURSE "${path}")
    endif()
  endforeach()
  file(COPY "${CASE_DIR}/${state}/" DESTINATION "${repo}")
endfunction()

# Runs `uprank report --inventory INVENTORY ...` in `cwd` and compares its stdout, stderr
# and exit code with want/<name>.
function(step name cwd inventory)
  execute_process(COMMAND "${UPRANK}" report --inventory "${inventory}"
                          --snapshot "${SOURCE_DIR}/data/snapshot.json" --today 2026-09-01 ${ARGN}
                  WORKING_DIRECTORY "${cwd}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code TIMEOUT 120)
  # The temporary repository's absolute path is the one thing that differs per machine.
  string(REPLACE "${WORK_DIR}" "WORK" out "${out}")
  string(REPLACE "${WORK_DIR}" "WORK" err "${err}")
  string(REPLACE "${SOURCE_DIR}" "SOURCE" out "${out}")
  string(REPLACE "${SOURCE_DIR}" "SOURCE" err "${err}")
  set(got "${out}--- stderr ---\n${err}--- exit ${code} ---\n")
  if(DEFINED ENV{UPRANK_UPDATE_GOLDEN})
    file(WRITE "${want_dir}/${name}" "${got}")
    return()
  endif()
  file(READ "${want_dir}/${name}" want)
  if(name MATCHES "json$")
    file(WRITE "${WORK_DIR}/${name}" "${out}")
    execute_process(COMMAND "${PYTHON3}" "${SOURCE_DIR}/tests/support/validate_json.py"
                            "${SOURCE_DIR}/docs/report.schema.json" "${WORK_DIR}/${name}"
                    RESULT_VARIABLE valid ERROR_VARIABLE violations)
    if(NOT valid EQUAL 0)
      message(SEND_ERROR "${name} does not validate against docs/report.schema.json:\n${violations}")
    endif()
  endif()
  if(NOT got STREQUAL want)
    file(WRITE "${WORK_DIR}/got.${name}" "${got}")
    message(SEND_ERROR "${name} differs from ${want_dir}/${name}:\n--- got ---\n${got}--- want ---\n${want}")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${repo}")
execute_process(COMMAND git -c init.defaultBranch=main init -q WORKING_DIRECTORY "${repo}" RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "git init failed in ${repo}")
endif()
checkout_state(state-a)
git(add -A)
git(commit -q -m "state A")
step(a.txt "${repo}" . --fail-on high --write-baseline "${WORK_DIR}/a.json")
file(READ "${WORK_DIR}/a.json" baseline_json)
if(NOT baseline_json MATCHES "\"fingerprint\": \"[0-9a-f]+\"")
  message(SEND_ERROR "--write-baseline wrote no fingerprints")
endif()

checkout_state(state-b)
step(b.txt "${repo}" . --fail-on high --baseline "${WORK_DIR}/a.json")
step(b.md "${repo}" . --fail-on high --baseline "${WORK_DIR}/a.json" --format md)
git(add -A)
git(commit -q -m "state B")
step(b-changed-since.txt "${repo}" . --fail-on high --changed-since HEAD~1)

checkout_state(state-c)
step(c.txt "${repo}" . --fail-on high --baseline "${WORK_DIR}/a.json")
step(c.json "${repo}" . --fail-on high --baseline "${WORK_DIR}/a.json" --format json)

# The same file-scoped waiver, run from the repository root, from a folder inside it and
# from outside it, each naming the repository its own way: one output.
step(waiver.txt "${repo}" . --rules "${CASE_DIR}/waiver.upr")
step(waiver.txt "${repo}/k8s" .. --rules "${CASE_DIR}/waiver.upr")
step(waiver.txt "${SOURCE_DIR}" "${repo}" --rules "${CASE_DIR}/waiver.upr")
