#!/usr/bin/env bash
# Install wrk, the HTTP load tool the server benchmark uses, from Debian's packages
# (`cargo run -p tools --release -- bench --server`). Does nothing when it is there.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "tools/bench/install-wrk.sh: error: wrk is not installed and there is no apt-get to install it with" >&2
  exit 1
fi
sudo=""
if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
$sudo apt-get install -y -qq wrk >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk; }
echo "tools/bench: installed $(wrk --version 2>&1 | head -1)" >&2
