# The rule-language front end and compiler: rule files are reviewed code, but a fuzzer
# finds the inputs that crash, leak or hang the parser, the passes and the formatter.
uprank_fuzzer(compiler SOURCES compiler_fuzzer.cc DEPS uprank::grammar uprank::compiler)
uprank_fuzzer(formatter SOURCES formatter_fuzzer.cc DEPS uprank::grammar)
uprank_fuzzer(lexer SOURCES lexer_fuzzer.cc DEPS uprank::grammar uprank_antlr4_runtime)
target_include_directories(lexer_fuzzer SYSTEM PRIVATE $<TARGET_PROPERTY:uprank_grammar_generated,INTERFACE_INCLUDE_DIRECTORIES>)
