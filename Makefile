# doppel — the two set-up commands:
#   make run    install missing Debian packages, build, scan the bundled example
#   make test   the same set-up, then every test (ctest)
# Other targets: build (build/doppel only), test-sanitize (tests under ASan+UBSan),
# bench (speed and quality against datasketch; needs ../shared), clean.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: deps build run test test-sanitize bench clean

deps:
	@bash scripts/install-deps.sh

build: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS) --target doppel

run: build
	@rm -rf $(BUILD)/example-out
	$(BUILD)/doppel scan examples/news.jsonl --out $(BUILD)/example-out
	@echo
	@echo "Results: $(BUILD)/example-out/ (pairs.jsonl, clusters.jsonl, stories.jsonl, summary.json)"
	@echo "First pairs found (all in pairs.jsonl; passages cut here):"
	@head -5 $(BUILD)/example-out/pairs.jsonl | sed -E 's/,"passages":.*/, "passages":[...]}/'
	@echo
	@echo "The first near pair side by side (doppel compare; [-...-] {+...+} = words changed):"
	@$(BUILD)/doppel compare --in examples/news.jsonl --width 120 \
	  $$(grep -m1 '"relation":"near"' $(BUILD)/example-out/pairs.jsonl | sed -E 's/^\{"a":"([^"]*)","b":"([^"]*)".*/\1 \2/') | head -24
	@echo "..."

test: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-sanitize: deps
	@test -f $(ASAN_BUILD)/CMakeCache.txt || cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDOPPEL_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

bench: build
	bash bench/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
