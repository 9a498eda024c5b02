# Base: the terminal escaping and diagnostic rendering every message goes through.
uprank_fuzzer(base_terminal SOURCES base_terminal_fuzzer.cc DEPS uprank::base)
