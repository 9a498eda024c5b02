# VEX readers: OpenVEX and CycloneDX VEX documents, then statement lookup on what was read.
uprank_fuzzer(vex SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/vex_fuzzer.cc" DEPS uprank::vex)
