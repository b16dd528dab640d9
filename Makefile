# chat: chat-server + chat-tui. See README.md.
SHELL := /bin/bash
PREFIX ?= /usr/local
SWIFT ?= swift
SWIFT_FLAGS ?=
# Debian packages the build, the tests and the benchmarks need; installed when dpkg says they are missing.
BUILD_DEBS := libncursesw5-dev libsqlite3-dev
TEST_DEBS := tmux ngircd irssi ii netcat-openbsd
BENCH_DEBS := ngircd inspircd valgrind strace binutils util-linux
PORT ?= 6667
DB ?= $(HOME)/.local/share/chat/chat.db
# The nick `make run` opens chat-tui with: $CHAT_NICK, else the login name.
NICK ?= $(or $(CHAT_NICK),$(USER),$(shell id -un))

.PHONY: all build release debug test deps test-deps bench-deps run install clean bench

all: release

build: release

release: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS)

debug: deps
	$(SWIFT) build $(SWIFT_FLAGS)

# Installs only what is missing, non-interactively; a no-op on a machine that has everything.
define install_missing
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
		|| { echo "apt-get install$$missing failed" >&2; exit 1; }; \
	fi
endef

deps:
	$(call install_missing,$(BUILD_DEBS))

test-deps: deps
	$(call install_missing,$(TEST_DEBS))

bench-deps: deps
	$(call install_missing,$(BENCH_DEBS))

test: test-deps
	$(SWIFT) build $(SWIFT_FLAGS)
	LANG=C.UTF-8 $(SWIFT) test $(SWIFT_FLAGS)

# Starts a local chat-server on the embedded database, opens chat-tui on it, stops the server on exit.
run: release
	@mkdir -p "$(dir $(DB))"
	@bin=$$($(SWIFT) build -c release --show-bin-path); \
	"$$bin/chat-server" --listen 127.0.0.1:$(PORT) --db "$(DB)" 2>>/tmp/chat-server-$(PORT).log & server=$$!; \
	trap "kill $$server 2>/dev/null; wait $$server 2>/dev/null" EXIT; \
	for i in $$(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$(PORT)) 2>/dev/null && break; kill -0 $$server 2>/dev/null || { echo "chat-server failed to start; see /tmp/chat-server-$(PORT).log" >&2; exit 1; }; sleep 0.05; done; \
	"$$bin/chat-tui" --server 127.0.0.1:$(PORT) --nick "$(NICK)"

bench: bench-deps release
	bash scripts/bench.sh

install: release
	@bin=$$($(SWIFT) build -c release --show-bin-path); \
	install -d "$(DESTDIR)$(PREFIX)/bin"; \
	install -m 755 "$$bin/chat-server" "$$bin/chat-tui" "$(DESTDIR)$(PREFIX)/bin/"

clean:
	rm -rf .build
