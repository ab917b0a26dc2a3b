# The two commands the README promises: `make demo` and `make test`.
# Both install missing Debian packages first (scripts/install-deps.sh).
BUILD      ?= build
BUILD_ASAN ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja

.PHONY: deps build demo test test-sanitize bench refresh-goldens clean

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The examples have error findings, so check exits 1: that is the demo working. Exit 2
# (an input error) or a crash fails it; make's "-" would have said "Error 1 (ignored)"
# after each, which reads as a failed demo.
demo: build
	@echo "== gouji explain examples/ (the report model; the first 60 lines, all in $(BUILD)/demo-explain.txt) =="
	$(BUILD)/gouji explain examples/jianning-2020.txt > $(BUILD)/demo-explain.txt
	@head -60 $(BUILD)/demo-explain.txt
	@echo
	@echo "== gouji check examples/ =="
	$(BUILD)/gouji check examples/*; s=$$?; test $$s -le 1
	@echo
	@echo "== gouji check --previous: a 2022 report against the same agency's 2021 report =="
	$(BUILD)/gouji check --previous tests/fixtures/markdown/report-2021.md tests/fixtures/across-years/yunling-2022.md; s=$$?; test $$s -le 1
	@echo
	@echo "== gouji diff: what a local rule pack (tests/cases/diff/pack-change/pack.yaml) changes in the audits of examples/ =="
	$(BUILD)/gouji check --format json examples/* > $(BUILD)/demo-before.json; s=$$?; test $$s -le 1
	$(BUILD)/gouji check --pack tests/cases/diff/pack-change/pack.yaml --format json examples/* > $(BUILD)/demo-after.json; s=$$?; test $$s -le 1
	$(BUILD)/gouji diff $(BUILD)/demo-before.json $(BUILD)/demo-after.json; s=$$?; test $$s -le 1
	@echo
	@echo "== the same audit as a page to read and print, and kept in a database beside earlier runs (docs/outputs.md) =="
	$(BUILD)/gouji check --format html --output $(BUILD)/demo-audit.html examples/*; s=$$?; test $$s -le 1
	$(BUILD)/gouji check --format sqlite --output $(BUILD)/demo-audits.db examples/*; s=$$?; test $$s -le 1
	@echo "open $(BUILD)/demo-audit.html in a browser; query $(BUILD)/demo-audits.db with any SQLite tool (docs/sqlite.md)"

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The whole suite again under AddressSanitizer + UBSan, in its own build directory.
test-sanitize: deps
	cmake -S . -B $(BUILD_ASAN) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DGOUJI_SANITIZE=ON
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir $(BUILD_ASAN) --output-on-failure -j $(JOBS)

bench: build
	$(BUILD)/bench/gouji_bench

# Rewrites every golden file from the current binary; review the diff before committing.
refresh-goldens: build
	GOUJI_REFRESH_GOLDENS=1 $(BUILD)/tests/gouji_tests -tc='*golden*'

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
