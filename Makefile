# The two-command contract: `make demo` and `make test` work on a fresh Debian 12
# machine with nothing but this clone (scripts/bootstrap installs Debian packages).
JOBS ?= 2
MAKEFLAGS += --no-print-directory
DEMO_TODAY ?= 2026-09-01
RELEASE_DIR := build/release
TEST_DIR := build/test
FUZZ_DIR := build/fuzz
CMAKE_FLAGS ?=

.PHONY: demo test build fuzz bench install clean

# Quiet: the build's output is shown only when it fails; then the table and what to do next.
demo:
	@scripts/bootstrap
	@mkdir -p $(RELEASE_DIR)
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DUPRANK_BUILD_TESTS=OFF \
	  -DUPRANK_BUILD_BENCHMARKS=OFF $(CMAKE_FLAGS) >$(RELEASE_DIR)/configure.log 2>&1 \
	  || { cat $(RELEASE_DIR)/configure.log; exit 1; }
	@echo "Building uprank (log: $(RELEASE_DIR)/build.log)..."
	@cmake --build $(RELEASE_DIR) -j$(JOBS) --target uprank >$(RELEASE_DIR)/build.log 2>&1 \
	  || { grep -v '^\[ *[0-9]*%\]' $(RELEASE_DIR)/build.log; exit 1; }
	@echo
	@$(RELEASE_DIR)/cli/uprank report --inventory examples/inventory.yaml \
	  --snapshot data/snapshot.json --today $(DEMO_TODAY)
	@echo
	@echo "Next steps:"
	@echo "  Your own inventory:  $(RELEASE_DIR)/cli/uprank report --inventory YOUR.yaml --snapshot data/snapshot.json"
	@echo "  Machine-readable:    add --format json (docs/report.md describes the fields)"
	@echo "  Everything else:     README.md and docs/ (rule language, inventory formats, exit codes)"

test:
	@scripts/bootstrap --test
	@cmake -S . -B $(TEST_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUPRANK_WARNINGS_AS_ERRORS=ON \
	  $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(TEST_DIR) -j$(JOBS)
	ctest --test-dir $(TEST_DIR) --output-on-failure -j$(JOBS)
	@$(MAKE) --no-print-directory fuzz

# libFuzzer targets need clang; each runs for a bounded time (UPRANK_FUZZ_SECONDS).
fuzz:
	@CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DUPRANK_BUILD_TESTS=OFF -DUPRANK_BUILD_BENCHMARKS=OFF -DUPRANK_BUILD_FUZZERS=ON \
	  -DUPRANK_SANITIZE="address;undefined" >/dev/null
	@cmake --build $(FUZZ_DIR) -j$(JOBS) --target uprank_fuzzers
	ctest --test-dir $(FUZZ_DIR) -L fuzz --output-on-failure

bench:
	@scripts/bootstrap --test
	@cmake -S . -B $(RELEASE_DIR)-bench -DCMAKE_BUILD_TYPE=Release -DUPRANK_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR)-bench -j$(JOBS)
	@for b in $(RELEASE_DIR)-bench/bench/*/bench_*; do echo "== $$b"; $$b; done

install:
	@scripts/bootstrap
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release -DUPRANK_BUILD_TESTS=OFF -DUPRANK_BUILD_BENCHMARKS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j$(JOBS)
	cmake --install $(RELEASE_DIR)

clean:
	rm -rf build
