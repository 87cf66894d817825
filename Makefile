# mm7go developer commands. `make test` is what CI runs.
SHELL := /bin/bash
GO    ?= go
export CGO_ENABLED := 1

.PHONY: all deps generate check-generated test example demo build bench fuzz lint cover soak

all: generate test

# deps installs the C toolchain pieces the libxml2 validation package needs
# (Debian/Ubuntu), or stops with a one-line instruction when it cannot.
deps:
	@if ! pkg-config --exists libxml-2.0 2>/dev/null || ! command -v gcc >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing libxml2-dev pkg-config gcc"; \
	    (apt-get update -qq && apt-get install -y -qq libxml2-dev pkg-config gcc >/dev/null) || exit 1; \
	  else \
	    echo "missing libxml2 development files: run 'sudo apt-get install -y libxml2-dev pkg-config gcc'" >&2; exit 1; \
	  fi; \
	fi

# generate regenerates generated/ from xsd/ (reproducible: no diff on a clean tree).
generate:
	$(GO) generate ./gen

# check-generated fails when generated/ is not what the generator produces.
check-generated:
	$(GO) run ./gen -check

test: deps
	@echo "== go vet + go test ./... (a cold build cache first compiles the libxml2 bindings via cgo and every test binary: several minutes on 2 cores)"
	$(GO) vet ./...
	$(GO) test -count=1 ./...

# example generates the bindings and runs the runnable examples that build,
# marshal and validate MM7 messages.
example: deps generate
	$(GO) test -count=1 -run 'Example' -v ./internal/conformance/ ./xsdvalidate/ ./xsdtypes/

# demo runs the MMSC simulator and the receiver on loopback in one process,
# sends an MMS with an image, and shows its delivery report and an MO
# message arriving (the README's main command).
demo: deps
	$(GO) run ./cmd/mm7 demo

# build builds the mm7 command into bin/.
build: deps
	$(GO) build -o bin/mm7 ./cmd/mm7

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

# fuzz runs every fuzz target for FUZZTIME each (FUZZTIME=10m make fuzz).
FUZZTIME ?= 60s
FUZZ_TARGETS := \
	./mm7:FuzzDecodeEnvelope ./mm7:FuzzDecodeMultipart \
	./mm7/internal/mime:FuzzReader ./mm7/internal/mime:FuzzTransferDecoder ./mm7/internal/mime:FuzzParseMediaType \
	./xsdtypes:FuzzDateTime ./xsdtypes:FuzzDuration ./xsdtypes:FuzzDateTimeOrDuration ./xsdtypes:FuzzAnyElement \
	./cmd/mm7:FuzzStoreKey
fuzz:
	@for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; fn=$${t##*:}; \
	  echo "== $$fn ($$pkg, $(FUZZTIME))"; \
	  $(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

lint: deps
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed" >&2; exit 1; }

cover: deps
	$(GO) test -count=1 -cover ./...

# soak drives mm7 serve on loopback with many senders, MMSC retries, the
# simulator's delivery reports, injected storage faults (disk full, failed
# fsyncs), killed connections and slow peers, for a fixed count
# (SOAK_MESSAGES, SOAK_SENDERS, SOAK_SUBMITS, SOAK_FAULT_PERCENT); it fails
# on a missing acknowledged message or on goroutine/descriptor growth.
soak: deps
	$(GO) test -tags soak -count=1 -run '^TestSoak$$' -v ./cmd/mm7/
