# Writes uprank's man page from the binary's own option tables: uprank --help-man > OUT.
# Usage: cmake -DUPRANK=path/to/uprank -DOUT=path/to/uprank.1 -P man_page.cmake
get_filename_component(folder "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${folder}")
execute_process(COMMAND "${UPRANK}" --help-man OUTPUT_FILE "${OUT}" RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "uprank --help-man failed (${code})")
endif()
