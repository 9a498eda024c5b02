# Fetcher parsers of untrusted input: every source's response parser and the snapshot reader.
uprank_fuzzer(fetchers_responses SOURCES fetchers/responses_fuzzer.cc DEPS uprank::fetchers)
uprank_fuzzer(fetchers_snapshot SOURCES fetchers/snapshot_fuzzer.cc DEPS uprank::fetchers)
uprank_fuzzer(fetchers_import SOURCES fetchers/import_fuzzer.cc DEPS uprank::fetchers)
uprank_fuzzer(fetchers_csaf SOURCES fetchers/csaf_fuzzer.cc DEPS uprank::fetchers)
