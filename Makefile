# Two commands do everything on a fresh Debian/Ubuntu machine:
#   make run   - install what is missing, build, open CubeDesk
#   make test  - the same set-up, then every test (Rust, UI, end-to-end in a real window)
SHELL := /bin/bash
.DEFAULT_GOAL := run
export PATH := $(HOME)/.cargo/bin:$(PATH)

UI_SOURCES := $(shell find ui/src -type f 2>/dev/null) ui/index.html ui/vite.config.ts ui/tsconfig.json ui/package.json

.PHONY: run test deps test-deps ui rust-test keychain-test ui-test e2e clean

run: deps ui
	cargo run --locked --

test: test-deps ui rust-test keychain-test ui-test e2e

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

# npm ci only when the lock file changed since the last install.
ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

ui/dist/index.html: ui/node_modules/.package-lock.json $(UI_SOURCES)
	cd ui && npm run build

ui: ui/dist/index.html

rust-test: ui
	cargo test --locked

# The real OS keychain (Secret Service under a private D-Bus session): secrets must survive.
keychain-test: rust-test
	scripts/keychain-test.sh

ui-test: ui/node_modules/.package-lock.json
	cd ui && npm test

# The real app binary (built by rust-test) in a real window under Xvfb, driven through WebDriver.
e2e: rust-test
	scripts/e2e.sh

clean:
	rm -rf target ui/dist ui/node_modules
