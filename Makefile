# Sluice: `make run` and `make test` work on a fresh Debian machine with the Swift toolchain.
# They install what is missing (quietly when it is already there), build, then run or test.

SWIFT       ?= swift
SWIFT_FLAGS ?= -Xswiftc -warnings-as-errors
DATA_DIR    ?= data
SUDO        := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
APT_PACKAGES := liblz4-dev libsqlite3-dev

.PHONY: all deps build release run test unit-tests sim-tests generated-check bench faults fuzz clean

all: build

# Headers decide, not dpkg: install only when a header is missing.
deps:
	@if [ ! -f /usr/include/lz4frame.h ] || [ ! -f /usr/include/sqlite3.h ]; then \
		echo "installing $(APT_PACKAGES)"; \
		$(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq >/dev/null && $(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null; }; \
	fi

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

release: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS)

# Until the broker lands, `sluiced demo` appends records to a partition log under $(DATA_DIR)
# and reads them back.
run: release
	.build/release/sluiced demo --data-dir $(DATA_DIR)/demo

test: deps generated-check unit-tests sim-tests

unit-tests: deps
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build

# Generated codecs must match proto/ exactly.
generated-check: deps
	@if [ -d proto/kafka ] && [ -n "$$(ls proto/kafka 2>/dev/null)" ]; then \
		$(SWIFT) run -q sluice-gen --check proto Sources/SluiceWire/Generated; \
	fi

sim-tests: deps
	$(SWIFT) run -q $(SWIFT_FLAGS) sluice-sim --seeds 300

bench: release
	.build/release/sluice-bench --dir $(DATA_DIR)/bench

faults fuzz:
	@echo "$@: not written yet (see the issues)"; exit 1

clean:
	rm -rf .build $(DATA_DIR)
