# The whole uprank.yaml reader, compiled from cli/ (the binary's own sources) into its target,
# with repository.cc for the git-tracked-files lookup the inventory reading it builds uses.
uprank_fuzzer(cli_config SOURCES cli_config_fuzzer.cc "${PROJECT_SOURCE_DIR}/cli/config.cc"
              "${PROJECT_SOURCE_DIR}/cli/repository.cc"
              DEPS uprank::report uprank::inventory uprank::fetchers uprank::grammar uprank::files yaml-cpp CLI11::CLI11)
target_include_directories(cli_config_fuzzer PRIVATE "${PROJECT_SOURCE_DIR}")
