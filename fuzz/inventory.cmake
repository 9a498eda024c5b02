# Inventory readers: one libFuzzer target per reader of untrusted input (the YAML
# infrastructure readers share one target that picks the reader from the first byte).
foreach(_reader native cyclonedx spdx dpkg dockerfile yaml_infra terraform version_files purl config gitignore extractors)
  uprank_fuzzer(inventory_${_reader} SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/inventory_${_reader}_fuzzer.cc"
                DEPS uprank::inventory)
endforeach()
