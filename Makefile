# The two commands of the README. Both install what is missing, configure and
# build, then run: `make demo` (Release) or `make test` (every test, through ctest).
# `make package` builds the .deb a venue installs (README, "Install on a venue laptop").
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
# Most tests spend their time waiting (on a hub, a timer, a browser, CUPS), so
# one more of them than cores keeps the cores busy.
TEST_JOBS ?= $(shell echo $$(( $(JOBS) + 1 )))
DEMO_BUILD := build/release
TEST_BUILD := build/test
# Release builds share build/release; each target says what it needs, since
# the CMake cache would otherwise keep the last one's choice.
RELEASE := -DCMAKE_BUILD_TYPE=Release -DCHECKIN_BUILD_TESTS=OFF -DCHECKIN_BUILD_BENCH=OFF

.PHONY: all deps demo demo-stop test bench fuzz package format format-check clean

all: $(DEMO_BUILD)/cli/checkin

deps:
	@bash deploy/install-deps.sh

$(DEMO_BUILD)/cli/checkin: deps
	@cmake -S . -B $(DEMO_BUILD) $(RELEASE) >/dev/null
	@cmake --build $(DEMO_BUILD) -j $(JOBS) --target checkin

# The demo films its queue with tests/synth's make_queue_video; its venue
# scene cuts one station off the hub with tests/netcut's netcut. It ends by
# leaving the venue's hub and a door screen running in the background
# (deploy/demo_live.sh) and printing their links; `make demo-stop` ends them,
# as does the next `make demo` before it rebuilds the venue under them.
demo: deps
	@cmake -S . -B $(DEMO_BUILD) $(RELEASE) -DCHECKIN_BUILD_SYNTH=ON >/dev/null
	@cmake --build $(DEMO_BUILD) -j $(JOBS) --target checkin make_queue_video netcut
	@bash deploy/demo_live.sh stop
	@bash deploy/demo.sh $(DEMO_BUILD)/cli/checkin $(DEMO_BUILD)/tests/synth/make_queue_video \
	  $(DEMO_BUILD)/tests/netcut/netcut
	@bash deploy/demo_live.sh start $(DEMO_BUILD)/cli/checkin

demo-stop:
	@bash deploy/demo_live.sh stop

# Tests build with warnings as errors and AddressSanitizer/UBSan: the
# configuration CI trusts.
test: deps
	@cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHECKIN_WERROR=ON \
	  -DCHECKIN_SANITIZE="address;undefined" -DCHECKIN_BUILD_TESTS=ON -DCHECKIN_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(TEST_BUILD) -j $(JOBS)
	@cd $(TEST_BUILD) && ctest --output-on-failure -j $(TEST_JOBS)

bench: deps
	@cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DCHECKIN_BUILD_TESTS=OFF -DCHECKIN_BUILD_BENCH=ON >/dev/null
	@cmake --build build/bench -j $(JOBS)
	@bash bench/run.sh build/bench

# Every libFuzzer target for FUZZ_SECONDS (default 600) each; not part of
# `make test`. Built with clang, ASan and UBSan in build/fuzz; findings are
# kept in build/fuzz/fuzz-artifacts (tests/tools/run_fuzz.sh).
fuzz:
	@bash deploy/install-deps.sh fuzz
	@CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCHECKIN_FUZZ=ON -DCHECKIN_SANITIZE="address;undefined" -DCHECKIN_BUILD_TESTS=ON \
	  -DCHECKIN_BUILD_BENCH=OFF >/dev/null
	@cmake --build build/fuzz -j $(JOBS) --target csv_fuzz code_fuzz config_fuzz json_fuzz layout_fuzz text_fuzz image_header_fuzz \
	  signed_ticket_fuzz pretix_fuzz eventbrite_fuzz sympla_fuzz
	@bash tests/tools/run_fuzz.sh build/fuzz .

# build/release/checkin_<version>_<arch>.deb; its Depends come from
# dpkg-shlibdeps (deploy/CMakeLists.txt).
package: deps
	@cmake -S . -B $(DEMO_BUILD) $(RELEASE) -DCHECKIN_BUILD_SYNTH=OFF >/dev/null
	@cmake --build $(DEMO_BUILD) -j $(JOBS) --target checkin
	@cd $(DEMO_BUILD) && cpack -G DEB

# .clang-format on every C++ file; make test checks it too (ctest "format").
format:
	@bash tests/tools/check_format.sh . --fix

format-check:
	@bash tests/tools/check_format.sh .

clean: demo-stop
	rm -rf build demo-out
