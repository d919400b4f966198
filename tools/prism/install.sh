#!/usr/bin/env bash
# Install the pinned Stoplight Prism mock server into tools/prism/node_modules.
#
# Idempotent and safe to call from several test processes at once:
#   - does nothing (and prints nothing) when node_modules is already installed
#     from the current package.json + package-lock.json;
#   - otherwise runs `npm ci --no-audit --no-fund` under a lock and prints one
#     line on stderr.
# Afterwards the binary is tools/prism/node_modules/.bin/prism
# Exit status: 0 ok; 1 npm/node missing or npm ci failed (npm's log is printed).
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$dir"

stamp="node_modules/.prism-install-stamp"
bin="node_modules/.bin/prism"

want_stamp() {
  # Changes whenever the lockfile (or package.json) changes.
  cat package.json package-lock.json | sha256sum | cut -d' ' -f1
}

is_current() {
  [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$(want_stamp)" ]]
}

if is_current; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "tools/prism/install.sh: error: 'npm' and 'node' (Node.js >= 18.20.1) are required to install Prism, but were not found on PATH" >&2
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

# Another process may have finished the install while we waited.
if is_current; then
  exit 0
fi

log="$(mktemp "${TMPDIR:-/tmp}/prism-npm-ci.XXXXXX")"
if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
  echo "tools/prism/install.sh: error: 'npm ci' failed in $dir; its output:" >&2
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"

if [[ ! -x "$bin" ]]; then
  echo "tools/prism/install.sh: error: npm ci succeeded but $dir/$bin is missing" >&2
  exit 1
fi

want_stamp >"$stamp"
echo "tools/prism: installed @stoplight/prism-cli $(node -p "require('./node_modules/@stoplight/prism-cli/package.json').version") into $dir/node_modules" >&2
