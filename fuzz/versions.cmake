# Versions: every scheme's version and range parsers, vers: URIs and comparisons.
uprank_fuzzer(versions_parse SOURCES versions_parse_fuzzer.cc DEPS uprank::versions)
