#!/usr/bin/env bash
# The .deb as a shop owner gets it: installed on this machine (with its dependencies), its desktop
# entry, icons and cubedesk:// handler where the desktop looks for them, and the installed
# program started in a real window (tests/package/). Removed again at the end. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(ls -1t target/release/bundle/deb/*.deb 2>/dev/null | head -1)
[[ -n "$deb" ]] || { echo "no .deb in target/release/bundle/deb: run make package first" >&2; exit 1; }
pkg=$(dpkg-deb -f "$deb" Package)
echo "Installing $deb ($pkg, $(du -h "$deb" | cut -f1))"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends "./$deb" >/dev/null
trap 'dpkg -r "$pkg" >/dev/null' EXIT

fail() { echo "package test: $*" >&2; exit 1; }
bin=/usr/bin/cubedesk
desktop=/usr/share/applications/CubeDesk.desktop
[[ -x "$bin" ]] || fail "$bin is not installed"
[[ -f "$desktop" ]] || fail "no desktop entry at $desktop"
grep -qx 'Exec=cubedesk %u' "$desktop" || fail "the desktop entry does not start cubedesk with the link: $(grep Exec "$desktop")"
grep -qx 'Icon=cubedesk' "$desktop" || fail "the desktop entry names no icon"
grep -q '^MimeType=.*x-scheme-handler/cubedesk;' "$desktop" || fail "cubedesk:// links are not handed to CubeDesk"
grep -q '^Categories=.*Office' "$desktop" || fail "no desktop category: $(grep Categories "$desktop")"
for size in 32x32 128x128 256x256 512x512; do
  icon=/usr/share/icons/hicolor/$size/apps/cubedesk.png
  [[ -f "$icon" ]] || fail "no $size icon at $icon"
  file "$icon" | grep -q 'PNG image data' || fail "$icon is not a PNG"
done
dpkg-deb -f "$deb" Depends | grep -q libwebkit2gtk-4.1-0 || fail "the package does not depend on WebKitGTK"
"$bin" --version | grep -q "^cubedesk $(dpkg-deb -f "$deb" Version)" || fail "the installed version is not the package's"
echo "desktop entry, icons, link handler and version: ok"

APP_BIN="$bin" E2E_TESTS=tests/package/ scripts/e2e.sh
