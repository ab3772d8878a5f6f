# Sluice: `make run` and `make test` work on a fresh Debian machine with the Swift toolchain.
# They install what is missing (quietly when it is already there), build, then run or test.

SWIFT       ?= swift
SWIFT_FLAGS ?= -Xswiftc -warnings-as-errors
DATA_DIR    ?= data
SUDO        := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
# libssl-dev: TLS and the inter-node HMAC; openssl: the command the TLS tests make certificates with.
APT_PACKAGES := liblz4-dev libsqlite3-dev libssl-dev openssl

.PHONY: all deps compat-deps build release run test unit-tests sim sim-tests compat-tests cli-tests generated-check bench bench-compare faults fuzz clean cluster cluster-tests faults-deps

PIP_PACKAGES := confluent-kafka==2.16.1 kafka-python==3.0.12 aiokafka==0.14.0 cramjam lz4 pytest
# The Python clients live in a virtualenv under the build folder, not in the system's site-packages.
VENV        := .build/venv
PYTHON      := $(VENV)/bin/python

all: build

# Headers decide, not dpkg: install only when a header is missing.
deps:
	@if [ ! -f /usr/include/lz4frame.h ] || [ ! -f /usr/include/sqlite3.h ] || [ ! -f /usr/include/openssl/ssl.h ] || \
	    ! command -v openssl >/dev/null 2>&1; then \
		echo "installing $(APT_PACKAGES)"; \
		$(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq >/dev/null && $(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null; }; \
	fi

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

release: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS)

# A broker on 127.0.0.1:9092 with embedded defaults, data under $(DATA_DIR)/broker. Ctrl-C drains it.
run: release
	.build/release/sluiced --listeners=127.0.0.1:9092 --log.dirs=$(DATA_DIR)/broker --admin.listeners=http://127.0.0.1:9644

test: deps generated-check unit-tests sim-tests compat-tests cli-tests cluster-tests

# The interop tests drive kcat and confluent-kafka: installed first, and required (no skipping).
unit-tests: deps compat-deps
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	SLUICE_INTEROP_REQUIRED=1 SLUICE_PYTHON=$(CURDIR)/$(PYTHON) $(SWIFT) test --skip-build

# Generated codecs must match proto/ exactly.
generated-check: deps
	@if [ -d proto/kafka ] && [ -n "$$(ls proto/kafka 2>/dev/null)" ]; then \
		$(SWIFT) run -q sluice-gen --check proto Sources/SluiceWire/Generated Tests/SluiceWireTests/Generated; \
	fi

# A fixed range plus every seed that once found a bug.
sim-tests: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS) --product sluice-sim
	.build/release/sluice-sim --seeds 2000
	.build/release/sluice-sim --seeds 1000 --first-seed 2001 --pipelined
	.build/release/sluice-sim --seeds 1000 --nodes 1 --pipelined
	.build/release/sluice-sim --seed-file tools/sluice-sim/regression-seeds.txt

# Fresh seeds every run: SEEDS of them (default 20000) from a first seed derived from the clock,
# printed so the range can be replayed (FIRST_SEED=...); one process per core.
sim: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS) --product sluice-sim
	tools/sluice-sim/fresh-seeds.sh

# Real clients for the compatibility tests: kcat and Prometheus (promtool, and a server the fault
# tests scrape with) from Debian, the Python clients from PyPI.
compat-deps:
	@command -v kcat >/dev/null 2>&1 || { echo "installing kcat"; \
		$(SUDO) apt-get install -y -qq kcat >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq >/dev/null && $(SUDO) apt-get install -y -qq kcat >/dev/null; }; }
	@command -v promtool >/dev/null 2>&1 || { echo "installing prometheus"; \
		$(SUDO) apt-get install -y -qq prometheus >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq >/dev/null && $(SUDO) apt-get install -y -qq prometheus >/dev/null; }; }
	@[ -x $(PYTHON) ] || python3 -m venv $(VENV) 2>/dev/null || { echo "installing python3-venv"; rm -rf $(VENV); \
		$(SUDO) apt-get install -y -qq python3-venv >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq >/dev/null && $(SUDO) apt-get install -y -qq python3-venv >/dev/null; }; \
		python3 -m venv $(VENV); }
	@$(PYTHON) -c "import confluent_kafka, kafka, aiokafka, cramjam, lz4, pytest" 2>/dev/null || \
		{ echo "installing $(PIP_PACKAGES) into $(VENV)"; $(PYTHON) -m pip install -q --disable-pip-version-check $(PIP_PACKAGES); }

# kcat, confluent-kafka, kafka-python and aiokafka against a real sluiced over TCP.
compat-tests: deps compat-deps
	$(SWIFT) build $(SWIFT_FLAGS) --product sluiced
	SLUICED=$(CURDIR)/.build/debug/sluiced $(PYTHON) -m pytest -q -p no:cacheprovider Tests/compat

# The sluice CLI against a real sluiced: golden transcripts of every command (Tests/cli/golden;
# UPDATE_GOLDEN=1 rewrites them).
cli-tests: deps compat-deps
	$(SWIFT) build $(SWIFT_FLAGS) --product sluiced
	$(SWIFT) build $(SWIFT_FLAGS) --product sluice
	SLUICED=$(CURDIR)/.build/debug/sluiced SLUICE=$(CURDIR)/.build/debug/sluice $(PYTHON) -m pytest -q -p no:cacheprovider Tests/cli

bench: release
	.build/release/sluice-bench --dir $(DATA_DIR)/bench
	tools/bench/broker-bench.sh
	tools/bench/storm-ratio.sh .build/release/sluiced
	tools/bench/tls-cost.sh .build/release/sluiced

# A change that must keep speed, side by side with the code before it in one run:
# `make bench-compare BASE=<commit>` (default HEAD~1) builds BASE in its own worktree.
BASE ?= HEAD~1
bench-compare: release compat-deps
	rm -rf $(DATA_DIR)/base-tree; git worktree prune
	git worktree add -f --detach $(DATA_DIR)/base-tree $(BASE)
	cd $(DATA_DIR)/base-tree && $(SWIFT) build -c release --product sluiced
	PYTHON=$(CURDIR)/$(PYTHON) tools/bench/broker-compare.sh $(DATA_DIR)/base-tree/.build/release/sluiced .build/release/sluiced
	git worktree remove --force $(DATA_DIR)/base-tree

# libFuzzer over the request and record-batch decoders, then over inter-node frames and the Raft
# message checks behind them; each bounded by FUZZ_SECONDS.
FUZZ_SECONDS ?= 300
fuzz: deps
	tools/fuzz/build.sh
	mkdir -p .build-fuzz/corpus .build-fuzz/corpus-internal && cp tools/fuzz/seeds-internal/*.bin .build-fuzz/corpus-internal/
	.build-fuzz/request-decoder-fuzz -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=65536 .build-fuzz/corpus
	.build-fuzz/internal-frame-fuzz -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=65536 .build-fuzz/corpus-internal

# A 3-node cluster on loopback (deploy/config/node{1,2,3}.properties): 9092/9094/9096 for clients.
# deploy/local-cluster.sh status|stop|kill N|restart N for the rest.
cluster: deps
	$(SWIFT) build $(SWIFT_FLAGS) --product sluiced
	deploy/local-cluster.sh start

# Multi-node fault tests (tools/faults): real sluiced processes, kill -9, SIGSTOP, network
# namespaces + iptables (skipped without them), torn and flipped segment files.
faults-deps: compat-deps
	@command -v iptables >/dev/null 2>&1 || { echo "installing iptables"; \
		$(SUDO) apt-get install -y -qq iptables >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update -qq >/dev/null && $(SUDO) apt-get install -y -qq iptables >/dev/null; }; }

# Short mode, bounded to a few minutes: what make test runs.
cluster-tests: deps faults-deps
	$(SWIFT) build $(SWIFT_FLAGS) --product sluiced
	FAULTS_SHORT=1 SLUICED=$(CURDIR)/.build/debug/sluiced $(PYTHON) -m pytest -q -p no:cacheprovider tools/faults

# Long mode (many more kills, pauses and partitions), then the failover and replication figures.
faults: deps faults-deps
	$(SWIFT) build $(SWIFT_FLAGS) --product sluiced
	SLUICED=$(CURDIR)/.build/debug/sluiced $(PYTHON) -m pytest -q -p no:cacheprovider tools/faults
	SLUICED=$(CURDIR)/.build/debug/sluiced $(PYTHON) tools/faults/failover_figures.py

clean:
	rm -rf .build $(DATA_DIR)
