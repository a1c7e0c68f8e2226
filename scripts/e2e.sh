#!/usr/bin/env bash
# End-to-end tests: the real app binary in a real window under Xvfb, driven through WebDriver
# (tauri-driver in front of WebKitWebDriver), inside a private D-Bus session with an unlocked
# gnome-keyring so the app's real keychain works. Screenshots land in target/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
# Another binary (the installed one) and other tests can be given: scripts/package-test.sh does.
export APP_BIN="${APP_BIN:-$PWD/target/debug/cubedesk}"
E2E_TESTS="${E2E_TESTS:-tests/e2e/}"
export E2E_TESTS
export E2E_OUT="$PWD/target/e2e"
mkdir -p "$E2E_OUT"
[[ -x "$APP_BIN" ]] || { echo "missing $APP_BIN: run cargo test (or cargo build) first" >&2; exit 1; }

XDG_RUNTIME_DIR=$(mktemp -d)
XDG_DATA_HOME=$(mktemp -d)
# A home of its own: the app's saved window size, its log files and its start-at-login entry
# (which the autostart code writes under $HOME/.config whatever XDG says) stay out of the real one.
HOME=$(mktemp -d)
XDG_CONFIG_HOME="$HOME/.config"
XDG_STATE_HOME="$HOME/.local/state"
# Never ask an update server anything.
CUBEDESK_NO_UPDATE_CHECK=1
export XDG_RUNTIME_DIR XDG_DATA_HOME HOME XDG_CONFIG_HOME XDG_STATE_HOME CUBEDESK_NO_UPDATE_CHECK
exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  set -euo pipefail
  echo -n "cubedesk-e2e" | gnome-keyring-daemon --components=secrets --daemonize --unlock >/dev/null
  tauri-driver --port 4444 --native-port 4445 >"$E2E_OUT/tauri-driver.log" 2>&1 &
  driver=$!
  trap "kill $driver 2>/dev/null || true" EXIT
  for _ in $(seq 100); do
    curl -sf http://127.0.0.1:4444/status >/dev/null && break
    sleep 0.1
  done
  node --test --test-concurrency=1 "$E2E_TESTS"
' 2> >(grep -v "Failed to set fd limit" >&2)
