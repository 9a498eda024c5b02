# Every dependency comes from a Debian 12 package (scripts/bootstrap installs them).
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(antlr4-runtime 4.9 REQUIRED)
find_program(ANTLR4_TOOL antlr4 REQUIRED)
# The binary's allocator (README, Dependencies). Sanitizer and libFuzzer runtimes replace
# malloc themselves: those builds keep the C library's.
if(NOT UPRANK_SANITIZE AND NOT UPRANK_BUILD_FUZZERS)
  find_package(mimalloc 2.0 REQUIRED)
endif()

# Debian's antlr4 runtime target carries no include directory: add it as SYSTEM so the
# runtime's own warnings stay out of our builds.
if(NOT TARGET uprank_antlr4_runtime)
  add_library(uprank_antlr4_runtime INTERFACE)
  target_link_libraries(uprank_antlr4_runtime INTERFACE antlr4_shared)
  target_include_directories(uprank_antlr4_runtime SYSTEM INTERFACE "${ANTLR4_INCLUDE_DIR}")
  # clang rejects one runtime header (misc/InterpreterDataReader.h defines a default
  # constructor over a member that has none; gcc lets it pass), which uprank never uses.
  # For clang builds (the fuzzers) a copy without that constructor is found first.
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    set(_uprank_antlr4_compat "${CMAKE_BINARY_DIR}/antlr4-clang-compat")
    configure_file("${ANTLR4_INCLUDE_DIR}/antlr4-runtime.h" "${_uprank_antlr4_compat}/antlr4-runtime.h" COPYONLY)
    file(READ "${ANTLR4_INCLUDE_DIR}/misc/InterpreterDataReader.h" _uprank_antlr4_header)
    string(REPLACE "InterpreterData() {};" "" _uprank_antlr4_header "${_uprank_antlr4_header}")
    file(WRITE "${_uprank_antlr4_compat}/misc/InterpreterDataReader.h" "${_uprank_antlr4_header}")
    target_include_directories(uprank_antlr4_runtime SYSTEM BEFORE INTERFACE "${_uprank_antlr4_compat}")
  endif()
endif()

if(UPRANK_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
  pkg_check_modules(HTTPLIB IMPORTED_TARGET cpp-httplib)
endif()
if(UPRANK_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()

# kainjow/mustache (Debian's libkainjow-mustache-dev, header-only): renders the HTML
# report's template. SYSTEM keeps the header's own warnings out of our builds.
find_path(KAINJOW_MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)
if(NOT TARGET uprank_mustache)
  add_library(uprank_mustache INTERFACE)
  target_include_directories(uprank_mustache SYSTEM INTERFACE "${KAINJOW_MUSTACHE_INCLUDE_DIR}")
endif()
