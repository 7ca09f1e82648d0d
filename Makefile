# The front door. Two commands matter (see README):
#   make demo   install dependencies, build (Release), run the main job
#   make test   install dependencies, build, run the whole suite: Release tests, then the
#               ASan+UBSan build (clang) with its tests and a short smoke run of every fuzzer,
#               then a ThreadSanitizer build (clang) of the work-pool and integration tests
# Everything else here is a building block of those two.

JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
BUILD     ?= build
WERROR    ?= $(if $(CI),ON,OFF)
LAUNCHER  := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache,)
CTEST_ARGS ?= --output-on-failure -j $(JOBS) --timeout 900

.PHONY: all deps interop-deps release asan tsan test test-release test-asan test-tsan demo bench clean

all: release

deps:
	@scripts/install-deps.sh

# Test-only npm packages for the js-libp2p interop tests (tests/interop/package-lock.json);
# reinstalled only when the lockfile changed. Skipped with a message when npm is absent.
INTEROP := tests/interop
interop-deps: deps
	@if command -v npm >/dev/null 2>&1; then \
	  if [ ! -d $(INTEROP)/node_modules ] || [ $(INTEROP)/package-lock.json -nt $(INTEROP)/node_modules ]; then \
	    (cd $(INTEROP) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules); \
	  fi; \
	else echo "npm not found: interop tests will be skipped"; fi

release: deps interop-deps
	cmake -S . -B $(BUILD)/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DHBP2P_WERROR=$(WERROR) $(LAUNCHER)
	cmake --build $(BUILD)/release -j $(JOBS)

asan: deps
	cmake -S . -B $(BUILD)/asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DHBP2P_SANITIZE=address,undefined -DHBP2P_FUZZ=ON -DHBP2P_BENCH=OFF \
	  -DHBP2P_WERROR=$(WERROR) $(LAUNCHER)
	cmake --build $(BUILD)/asan -j $(JOBS)

# ThreadSanitizer: the tests where threads meet (the work pool; real nodes with their network
# thread, handshake steps and signature checks on worker threads). Only those targets are built.
TSAN_TESTS := ^(util\.WorkPool|integration\.)
tsan: deps
	cmake -S . -B $(BUILD)/tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DHBP2P_SANITIZE=thread -DHBP2P_BENCH=OFF \
	  -DHBP2P_WERROR=$(WERROR) $(LAUNCHER)
	cmake --build $(BUILD)/tsan -j $(JOBS) --target unit_util integration_tests

test-release: release
	cd $(BUILD)/release && ctest $(CTEST_ARGS)

test-asan: asan
	cd $(BUILD)/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest $(CTEST_ARGS) -LE slow

test-tsan: tsan
	cd $(BUILD)/tsan && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  ctest $(CTEST_ARGS) -R '$(TSAN_TESTS)'

test: test-release test-asan test-tsan
	@echo "make test: all suites passed"

# The main job: a local testnet of 50 nodes on 127.0.0.1 (post-quantum handshakes by default)
# with a summary; before it, a node identity is created and the post-quantum test-vector
# runner checks the NIST vectors beside the project (../shared/vectors).
VECTORS ?= $(abspath ../shared/vectors)
demo: release
	$(BUILD)/release/hbp2p --version
	mkdir -p $(BUILD)/demo
	$(BUILD)/release/hbp2p keygen --out $(BUILD)/demo/node.key --force
	$(BUILD)/release/hbp2p id --key $(BUILD)/demo/node.key --cid
	$(BUILD)/release/hbp2p crypto acvp $(VECTORS)/mlkem/keygen.json $(VECTORS)/mlkem/encapdecap.json \
	  $(VECTORS)/mldsa/keygen.json $(VECTORS)/mldsa/siggen.json $(VECTORS)/mldsa/sigver.json
	$(BUILD)/release/hbp2p testnet --nodes 50 --chains 2 --security pq --report $(BUILD)/demo/report

bench: release
	@for b in $(BUILD)/release/bench/*_bench; do $$b --benchmark_format=json; done

clean:
	rm -rf $(BUILD)
