# `pre-commit try-repo` runs this repository's .pre-commit-hooks.yaml hook against a
# sample git repository, offline: facts come from the bundled snapshot imported into a
# scratch store, pre-commit's cache is a scratch PRE_COMMIT_HOME, and the hook is a
# `language: script` hook that needs no download. A staged Dockerfile with an
# end-of-life base image fails the hook, naming it by its repository-relative path and
# line; a file with no findings passes.
set(sample "${WORK_DIR}/sample")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${sample}/deploy" "${WORK_DIR}/pre-commit-home" "${WORK_DIR}/cache")
file(WRITE "${sample}/deploy/Dockerfile" "FROM node:16.20.2-alpine\nRUN npm ci\n")
file(WRITE "${sample}/compose.yaml" "services:\n  app:\n    image: registry.example.invalid/team/app:1.0\n")
# Staged files that pin nothing: the hook passes (pre-commit runs it on whatever its
# `files` pattern matches; fault A of the session 16 trial).
file(MAKE_DIRECTORY "${sample}/.github/workflows" "${sample}/chart/templates")
file(WRITE "${sample}/mkdocs.yml" "site_name: Sample\nnav:\n  - Home: index.md\n")
file(WRITE "${sample}/.pre-commit-config.yaml" "repos:\n  - repo: local\n    hooks: []\n")
file(WRITE "${sample}/.github/workflows/lint.yml"
     "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make lint\n")
file(WRITE "${sample}/chart/Chart.yaml" "apiVersion: v2\nname: app\nversion: 0.1.0\n")
file(WRITE "${sample}/chart/templates/deploy.yaml"
     "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include \"app.fullname\" . }}\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n")

find_program(PRE_COMMIT pre-commit REQUIRED)
get_filename_component(uprank_dir "${UPRANK}" DIRECTORY)
set(ENV{PATH} "${uprank_dir}:$ENV{PATH}")
set(ENV{PRE_COMMIT_HOME} "${WORK_DIR}/pre-commit-home")
set(ENV{XDG_CACHE_HOME} "${WORK_DIR}/cache")
set(ENV{GIT_CONFIG_NOSYSTEM} 1)

function(run expect_failure)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${sample}" RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err
                  TIMEOUT 300)
  if(expect_failure STREQUAL "fails" AND code EQUAL 0)
    message(FATAL_ERROR "${ARGN}: passed, want a failure:\n${out}${err}")
  elseif(expect_failure STREQUAL "passes" AND NOT code EQUAL 0)
    message(FATAL_ERROR "${ARGN}: exit ${code}:\n${out}${err}")
  endif()
  set(output "${out}${err}" PARENT_SCOPE)
endfunction()

run(passes git -c init.defaultBranch=main init -q)
run(passes git add -A)
run(passes "${UPRANK}" snapshot import "${SOURCE_DIR}/data/snapshot.json")

run(passes "${PRE_COMMIT}" try-repo "${SOURCE_DIR}" uprank --files compose.yaml --verbose)
run(passes "${PRE_COMMIT}" try-repo "${SOURCE_DIR}" uprank --files mkdocs.yml .pre-commit-config.yaml --verbose)
run(passes "${PRE_COMMIT}" try-repo "${SOURCE_DIR}" uprank --files .github/workflows/lint.yml --verbose)
run(passes "${PRE_COMMIT}" try-repo "${SOURCE_DIR}" uprank --files chart/templates/deploy.yaml chart/Chart.yaml --verbose)
run(fails "${PRE_COMMIT}" try-repo "${SOURCE_DIR}" uprank --files deploy/Dockerfile compose.yaml mkdocs.yml --verbose)
if(NOT output MATCHES "uprank \\(end-of-life and vulnerable version pins\\)[.]+Failed" OR
   NOT output MATCHES "nodejs 16 left vendor support" OR NOT output MATCHES " deploy/Dockerfile:1:6 ")
  message(FATAL_ERROR "the hook failed, but not on the end-of-life pin:\n${output}")
endif()
