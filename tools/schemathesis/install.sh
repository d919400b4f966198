#!/usr/bin/env bash
# Install the pinned Schemathesis into tools/schemathesis/venv (a Python virtual
# environment), from requirements.txt: schemathesis and every package it needs, each at
# one version.
#
# Idempotent and safe to call from several test processes at once:
#   - does nothing (and prints nothing) when the venv is already installed from the
#     current requirements.txt;
#   - otherwise creates the venv and runs `pip install` under a lock, and prints one line
#     on stderr.
# Afterwards the binary is tools/schemathesis/venv/bin/schemathesis
# Exit status: 0 ok; 1 python3 missing or pip failed (pip's log is printed).
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$dir"

stamp="venv/.schemathesis-install-stamp"
bin="venv/bin/schemathesis"

want_stamp() {
  sha256sum requirements.txt | cut -d' ' -f1
}

is_current() {
  [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$(want_stamp)" ]]
}

if is_current; then
  exit 0
fi

if ! command -v python3 >/dev/null 2>&1; then
  echo "tools/schemathesis/install.sh: error: 'python3' (3.9 or newer, with venv) is required to install Schemathesis, but was not found on PATH" >&2
  exit 1
fi

# Serialise concurrent installers (e.g. parallel test processes).
lock="$dir/.install.lock"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$lock"
  flock 9
else
  until mkdir "$lock.d" 2>/dev/null; do sleep 0.2; done
  trap 'rmdir "$lock.d" 2>/dev/null || true' EXIT
fi

if is_current; then
  exit 0
fi

log="$(mktemp "${TMPDIR:-/tmp}/schemathesis-pip.XXXXXX")"
rm -rf venv
if ! { python3 -m venv venv && venv/bin/pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt; } >"$log" 2>&1; then
  echo "tools/schemathesis/install.sh: error: installing Schemathesis in $dir/venv failed; its output:" >&2
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"

if [[ ! -x "$bin" ]]; then
  echo "tools/schemathesis/install.sh: error: pip succeeded but $dir/$bin is missing" >&2
  exit 1
fi

want_stamp >"$stamp"
echo "tools/schemathesis: installed $("$bin" --version 2>/dev/null | head -1) into $dir/venv" >&2
