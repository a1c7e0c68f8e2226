#!/usr/bin/env bash
# make bench: CubeDesk's speed on a generated archive (issue 7), each figure beside a baseline
# measured in the same run. Writes target/bench/results.md (copied into BENCHMARKS.md by hand,
# with the analysis). The archive is generated once per size and seed and then reused.
#   BENCH_MESSAGES (1000000)  BENCH_CUSTOMERS (20000)  BENCH_SEED (7)  BENCH_SAMPLES (50)
#   BENCH_ONLY=window: the window's figures again, with the core's from the last run
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${BENCH_MESSAGES:-1000000}
CUSTOMERS=${BENCH_CUSTOMERS:-20000}
SEED=${BENCH_SEED:-7}
SAMPLES=${BENCH_SAMPLES:-50}
OUT="$PWD/target/bench"
mkdir -p "$OUT"

# The program exactly as shipped: taken out of the .deb that `make package` built.
DEB=$(ls -1t target/release/bundle/deb/*.deb 2>/dev/null | head -1 || true)
[[ -n "$DEB" ]] || { echo "no .deb in target/release/bundle/deb: run make package (make bench does)" >&2; exit 1; }
BIN="$OUT/cubedesk"
dpkg-deb --fsys-tarfile "$DEB" | tar -xO usr/bin/cubedesk >"$BIN"
chmod +x "$BIN"

archive() { # messages customers -> prints the folder
  local dir="$OUT/archive-$1-$2-$SEED"
  if [[ ! -f "$dir/cubedesk.db" ]]; then
    rm -rf "$dir.partial"
    echo "generating $1 messages for $2 customers (seed $SEED)..." >&2
    "$BIN" gen --messages "$1" --customers "$2" --seed "$SEED" --data-dir "$dir.partial" >&2
    mv "$dir.partial" "$dir"
  fi
  echo "$dir"
}
LARGE=$(archive "$MESSAGES" "$CUSTOMERS")
TINY=$(archive 200 20)

# --- the core, against raw SQLite on the same file ---
if [[ "${BENCH_ONLY:-}" != "window" ]]; then
  # A target folder of its own: a benchmark build also builds the program (with the test
  # dependencies' features), which must never replace the release build the bundles are made of.
  CARGO_TARGET_DIR="$PWD/target/bench-build" cargo bench --locked --bench core -- --archive "$LARGE" --samples "$SAMPLES" --json "$OUT/core.json"
fi
LARGEST_PHONE=$(node -e 'console.log(require(process.argv[1]).archive.largest_phone)' "$OUT/core.json")

# --- export: the largest conversation through the command line, against the sqlite3 shell ---
sed "s/@PHONE@/$LARGEST_PHONE/" tests/bench/raw-export.sql >"$OUT/raw-export.sql"
hyperfine --runs 5 --warmup 1 -N --export-json "$OUT/export.json" \
  -n "CubeDesk: export the largest conversation to CSV" "$BIN export --data-dir $LARGE --customer $LARGEST_PHONE --format csv --out $OUT/export.csv" \
  -n "CubeDesk: the same to JSON" "$BIN export --data-dir $LARGE --customer $LARGEST_PHONE --format json --out $OUT/export.json.out" \
  -n "raw: the same rows and columns to CSV by the sqlite3 shell" "sqlite3 -readonly $LARGE/cubedesk.db -init $OUT/raw-export.sql .quit" >&2

# --- the window: cold start to first paint, and memory ---
export APP_BIN="$BIN" OUT LARGE TINY LARGEST_PHONE
XDG_RUNTIME_DIR=$(mktemp -d)
XDG_DATA_HOME=$(mktemp -d)
HOME=$(mktemp -d)
CUBEDESK_NO_UPDATE_CHECK=1
export XDG_RUNTIME_DIR XDG_DATA_HOME HOME CUBEDESK_NO_UPDATE_CHECK
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  set -euo pipefail
  echo -n "cubedesk-bench" | gnome-keyring-daemon --components=secrets --daemonize --unlock >/dev/null
  # The app quits once its first inbox is painted (CUBEDESK_EXIT_AFTER_FIRST_PAINT), so hyperfine
  # times start to first paint. The tiny archive is the baseline: the same binary and webview
  # with almost no data, so the difference is what a decade of messages costs at start.
  CUBEDESK_EXIT_AFTER_FIRST_PAINT=1 hyperfine --warmup 2 --runs 15 --export-json "$OUT/startup.json" \
    -n "tiny archive (200 messages)" "$APP_BIN --data-dir $TINY" \
    -n "large archive" "$APP_BIN --data-dir $LARGE" >&2
  tauri-driver --port 4444 --native-port 4445 >"$OUT/tauri-driver.log" 2>&1 &
  driver=$!
  trap "kill $driver 2>/dev/null || true" EXIT
  for _ in $(seq 100); do curl -sf http://127.0.0.1:4444/status >/dev/null && break; sleep 0.1; done
  node tests/bench/app.mjs "$TINY" "$LARGE" "$LARGEST_PHONE" >"$OUT/memory.json"
' 2> >(grep -v "Failed to set fd limit" >&2)

# --- sizes ---
node tests/bench/report.mjs "$OUT" "$BIN" "$DEB" >"$OUT/results.md"
cat "$OUT/results.md"
