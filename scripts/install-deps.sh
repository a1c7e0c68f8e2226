#!/usr/bin/env bash
# Installs what CubeDesk needs on Debian/Ubuntu, and only what is missing, so a second run
# installs nothing. Usage: scripts/install-deps.sh build|test|bench
set -euo pipefail

build_pkgs=(pkg-config build-essential libwebkit2gtk-4.1-dev libayatana-appindicator3-dev)
# xauth is only a Recommends of xvfb, but xvfb-run needs it. gnome-keyring and dbus-daemon give
# the real-keychain tests a Secret Service; the emoji font makes screenshots show reactions.
test_pkgs=(xvfb xauth imagemagick webkit2gtk-driver dbus-daemon gnome-keyring fonts-noto-color-emoji)

# hyperfine times the app's cold start and the exports for `make bench`; the sqlite3 shell is
# the exports' baseline.
bench_pkgs=(hyperfine sqlite3)

mode=${1:-build}
want=("${build_pkgs[@]}")
if [[ "$mode" == "test" || "$mode" == "bench" ]]; then
  want+=("${test_pkgs[@]}")
fi
if [[ "$mode" == "bench" ]]; then
  want+=("${bench_pkgs[@]}")
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    echo "These packages are missing and this is not a Debian/Ubuntu system: ${missing[*]}" >&2
    echo "See README.md for what to install on your system." >&2
    exit 1
  fi
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "Node.js 20.19 or newer (with npm) is needed to build the interface: https://nodejs.org" >&2
  exit 1
fi
if ! command -v cargo >/dev/null; then
  echo "Rust (cargo) is needed: https://rustup.rs" >&2
  exit 1
fi

# The WebDriver bridge for end-to-end tests, from crates.io (only once per machine).
if [[ "$mode" != "build" ]] && ! command -v tauri-driver >/dev/null; then
  echo "Installing tauri-driver"
  cargo install tauri-driver --locked --version '^2'
fi
