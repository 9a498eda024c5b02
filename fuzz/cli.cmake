# The whole uprank.yaml reader, compiled from cli/ (the binary's own sources) into its target.
uprank_fuzzer(cli_config SOURCES cli_config_fuzzer.cc "${PROJECT_SOURCE_DIR}/cli/config.cc"
              DEPS uprank::inventory uprank::fetchers uprank::grammar uprank::files yaml-cpp CLI11::CLI11)
target_include_directories(cli_config_fuzzer PRIVATE "${PROJECT_SOURCE_DIR}")
