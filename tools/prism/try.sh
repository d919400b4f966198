#!/usr/bin/env bash
# Usage: tools/prism/try.sh SPEC PORT [extra prism mock args, e.g. -d --errors]
#
# Installs Prism if needed, starts `prism mock -h 127.0.0.1 -p PORT SPEC` in
# the background, waits for its ready line ("Prism is listening on ...") and
# prints one line:  ready <seconds> pid=<PID> log=<LOGFILE>
# Prism keeps running; stop it with `kill <PID>`.
# Exits 1 (and prints the log) if Prism exits or is not ready within
# ${PRISM_READY_TIMEOUT:-120} seconds.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 SPEC PORT [prism mock options...]" >&2
  exit 2
fi
spec="$1"; port="$2"; shift 2

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$dir/install.sh"

log="$(mktemp "${TMPDIR:-/tmp}/prism-$port.XXXXXX.log")"
start=$(date +%s%N)
"$dir/node_modules/.bin/prism" mock -h 127.0.0.1 -p "$port" "$@" "$spec" >"$log" 2>&1 &
pid=$!

timeout="${PRISM_READY_TIMEOUT:-120}"
deadline=$(( start + timeout * 1000000000 ))
while :; do
  if grep -q "Prism is listening on" "$log"; then
    end=$(date +%s%N)
    printf 'ready %d.%03ds pid=%d log=%s\n' $(( (end - start) / 1000000000 )) $(( (end - start) / 1000000 % 1000 )) "$pid" "$log"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "prism exited before it was ready; log $log:" >&2
    cat "$log" >&2
    exit 1
  fi
  if (( $(date +%s%N) > deadline )); then
    echo "prism not ready after ${timeout}s; killed pid $pid; log $log:" >&2
    kill "$pid" 2>/dev/null || true
    cat "$log" >&2
    exit 1
  fi
  sleep 0.05
done
