#!/usr/bin/env bash
# Runs the real-keychain tests inside a private D-Bus session with an unlocked gnome-keyring
# (the recipe in shared/build-notes.md §7), so CI proves secrets really persist.
set -euo pipefail
cd "$(dirname "$0")/.."
XDG_RUNTIME_DIR=$(mktemp -d)
XDG_DATA_HOME=$(mktemp -d)
export XDG_RUNTIME_DIR XDG_DATA_HOME
dbus-run-session -- bash -c '
  set -euo pipefail
  echo -n "cubedesk-ci" | gnome-keyring-daemon --components=secrets --daemonize --unlock >/dev/null
  cargo test --locked --test keychain -- --ignored --test-threads=1 a_secret_survives
  KEYCHAIN_PHASE=write cargo test --locked --test keychain -- --ignored a_secret_written
  KEYCHAIN_PHASE=read cargo test --locked --test keychain -- --ignored a_secret_written
' 2> >(grep -v "Failed to set fd limit" >&2)
