# Builds the .deb with cpack, then checks it as `dpkg -i` would leave it: Depends from
# dpkg-shlibdeps, the Debian layout, a man page that renders, and `uprank report` run from
# an unrelated directory on the bundled example, finding its packs beside the binary.
# Usage: cmake -DCPACK=cpack -DBUILD_DIR=build -DSCRATCH=dir -DUPRANK=build/cli/uprank -P deb_test.cmake
cmake_minimum_required(VERSION 3.25)

function(run)
  cmake_parse_arguments(ARG "" "DIR;OUT" "COMMAND" ${ARGN})
  if(NOT ARG_DIR)
    set(ARG_DIR "${SCRATCH}")
  endif()
  # Unset UPRANK_RULES: the packs must be found from the binary's own location.
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=UPRANK_RULES ${ARG_COMMAND}
                  WORKING_DIRECTORY "${ARG_DIR}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "failed (${code}): ${ARG_COMMAND}\n${out}\n${err}")
  endif()
  if(ARG_OUT)
    set(${ARG_OUT} "${out}" PARENT_SCOPE)
  endif()
endfunction()

function(expect text pattern what)
  if(NOT text MATCHES "${pattern}")
    message(FATAL_ERROR "${what}: no match for '${pattern}' in:\n${text}")
  endif()
endfunction()

file(REMOVE_RECURSE "${SCRATCH}")
file(MAKE_DIRECTORY "${SCRATCH}/out" "${SCRATCH}/root" "${SCRATCH}/elsewhere")
run(COMMAND "${CPACK}" -G DEB --config "${BUILD_DIR}/CPackConfig.cmake" -B "${SCRATCH}/out")
file(GLOB debs "${SCRATCH}/out/*.deb")
list(LENGTH debs count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "want one .deb in ${SCRATCH}/out, found: ${debs}")
endif()

# Depends: every shared library the binary links, by its Debian package (with the
# minimum version dpkg-shlibdeps derives, where the library's symbols file gives one).
run(COMMAND dpkg-deb --field "${debs}" Depends OUT depends)
string(STRIP "${depends}" depends)
message(STATUS "Depends: ${depends}")
foreach(package libre2-[0-9]+ libcurl4 libsqlite3-0 libyaml-cpp0[.0-9]+ libantlr4-runtime[.0-9]+ libspdlog[-.0-9a-z]+
                libssl3 zlib1g libc6 libstdc[+][+]6)
  expect("${depends}" "(^|, )${package}( \\([^)]+\\))?(,|$)" "Depends")
endforeach()

run(COMMAND dpkg-deb --contents "${debs}" OUT contents)
foreach(file usr/bin/uprank usr/share/uprank/rules/eol/eol.upr usr/share/uprank/rules/ssvc/ssvc.upr
             usr/share/uprank/data/snapshot.json usr/share/man/man1/uprank.1 usr/share/doc/uprank/examples/inventory.yaml)
  expect("${contents}" " \\./${file}\n" "package contents")
endforeach()

run(COMMAND dpkg-deb -x "${debs}" "${SCRATCH}/root")
set(root "${SCRATCH}/root/usr")
run(COMMAND man -l -Tutf8 "${root}/share/man/man1/uprank.1" OUT page)
string(ASCII 8 backspace)
string(REGEX REPLACE ".${backspace}" "" page "${page}")  # overstrike bold and underline
expect("${page}" "uprank report" "man page")
expect("${page}" "--no-default-rules" "man page")

run(COMMAND "${root}/bin/uprank" --version DIR "${SCRATCH}/elsewhere" OUT version)
expect("${version}" "rule packs: ${root}/share/uprank/rules " "--version")
expect("${version}" "content hash: sha256:[0-9a-f]+" "--version")

run(COMMAND "${root}/bin/uprank" report --inventory "${root}/share/doc/uprank/examples/inventory.yaml"
            --snapshot "${root}/share/uprank/data/snapshot.json" --today 2026-09-01 --format json
    DIR "${SCRATCH}/elsewhere" OUT report)
expect("${report}" "\"file\": \"uprank/eol/eol.upr\"" "report rule_location")
# Inventory and snapshot paths are the ones given; rule files are named from the pack root.
if(report MATCHES "\"rule_location\": {[^}]*\"file\": \"/")
  message(FATAL_ERROR "a rule_location names an absolute path")
endif()
message(STATUS "ok: ${debs}")
