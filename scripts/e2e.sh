#!/usr/bin/env bash
# End-to-end tests: the real app binary in a real window under Xvfb, driven through WebDriver
# (tauri-driver in front of WebKitWebDriver). Screenshots land in target/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."
export APP_BIN="$PWD/target/debug/cubedesk"
export E2E_OUT="$PWD/target/e2e"
mkdir -p "$E2E_OUT"
[[ -x "$APP_BIN" ]] || { echo "missing $APP_BIN: run cargo test (or cargo build) first" >&2; exit 1; }

exec xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  set -euo pipefail
  tauri-driver --port 4444 --native-port 4445 >"$E2E_OUT/tauri-driver.log" 2>&1 &
  driver=$!
  trap "kill $driver 2>/dev/null || true" EXIT
  for _ in $(seq 100); do
    curl -sf http://127.0.0.1:4444/status >/dev/null && break
    sleep 0.1
  done
  node --test --test-concurrency=1 tests/e2e/
'
