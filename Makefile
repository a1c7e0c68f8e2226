# Two commands do everything on a fresh Debian/Ubuntu machine:
#   make run   - install what is missing, build, open CubeDesk
#   make test  - the same set-up, then every test (Rust, UI, end-to-end in a real window)
#   make package - the release bundles (.deb here; see the README for Windows and macOS)
#   make bench - speed on a generated 1,000,000-message archive (not part of make test; see BENCHMARKS.md)
SHELL := /bin/bash
.DEFAULT_GOAL := run
export PATH := $(HOME)/.cargo/bin:$(PATH)

UI_SOURCES := $(shell find ui/src -type f 2>/dev/null) ui/index.html ui/vite.config.ts ui/tsconfig.json ui/package.json

.PHONY: run test deps test-deps ui rust-test keychain-test ui-test e2e package appimage package-test icons bench clean

run: deps ui
	cargo run --locked --

test: test-deps ui rust-test keychain-test ui-test e2e package-test

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

# Release bundles through the Tauri bundler (release profile: LTO, stripped). The .deb is built
# and checked here; `make appimage` needs the bundler's AppImage tools, which it downloads.
package: deps ui
	ui/node_modules/.bin/tauri build --ci --bundles deb

appimage: deps ui
	ui/node_modules/.bin/tauri build --ci --bundles appimage

# Installs the .deb on this machine (CI runs as root), checks the desktop entry, icons and link
# handler, and starts the installed program in a real window.
package-test: test-deps package
	scripts/package-test.sh

# Every icon the bundlers ask for, from the one source image.
icons: ui/node_modules/.package-lock.json
	ui/node_modules/.bin/tauri icon icons/source.svg -o target/icons
	cp target/icons/{32x32,64x64,128x128,128x128@2x,icon}.png target/icons/icon.{ico,icns} icons/
	cp target/icons/128x128@2x.png icons/256x256.png

# Generates the archive once (target/bench/), then the core against raw SQLite, the window's
# start-up and memory, and the sizes; the table lands in target/bench/results.md.
bench: package
	@scripts/install-deps.sh bench
	scripts/bench.sh

clean:
	rm -rf target ui/dist ui/node_modules
