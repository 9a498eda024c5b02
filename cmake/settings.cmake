# Settings and warnings as INTERFACE targets, linked privately by uprank's own code only:
# generated ANTLR sources and third-party headers never see our warning flags.
add_library(uprank_settings INTERFACE)
add_library(uprank::settings ALIAS uprank_settings)
target_compile_features(uprank_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

add_library(uprank_warnings INTERFACE)
add_library(uprank::warnings ALIAS uprank_warnings)
target_compile_options(uprank_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${UPRANK_WARNINGS_AS_ERRORS}>:-Werror>)

if(UPRANK_SANITIZE)
  string(REPLACE ";" "," _uprank_sanitizers "${UPRANK_SANITIZE}")
  # Applied globally so that every object, generated or not, agrees on the ABI of
  # instrumented containers; undefined behaviour aborts so that tests fail on it.
  add_compile_options(-fsanitize=${_uprank_sanitizers} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_uprank_sanitizers})
endif()

# Fuzz builds instrument every library for coverage, not only the harnesses, so that
# libFuzzer is guided by the parsers' branches.
if(UPRANK_BUILD_FUZZERS)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# uprank_library(NAME SOURCES... [DEPS ...] [PRIVATE_DEPS ...]): one library per folder,
# its public header reachable as "folder/header.h" from the repository root.
function(uprank_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(uprank_${name} STATIC ${ARG_SOURCES})
  add_library(uprank::${name} ALIAS uprank_${name})
  target_include_directories(uprank_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}> $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}>)
  target_link_libraries(uprank_${name} PUBLIC ${ARG_DEPS}
    PRIVATE uprank::settings uprank::warnings ${ARG_PRIVATE_DEPS})
  target_compile_features(uprank_${name} PUBLIC cxx_std_20)
endfunction()
