#!/usr/bin/env bash
# Fuzz smoke for CI: builds the fuzz targets and runs each for FUZZ_SECONDS (20 by default),
# seeded with every description the project has. Fails if a target panics, overflows its
# stack, hangs on one input (-timeout) or exceeds the memory limit; the input that did it
# is left in fuzz/artifacts/TARGET/, and cargo fuzz prints how to replay it. Fails too if
# a target ran no input at all (libFuzzer's count of executions is 0 or missing).
#
# Usage: fuzz/smoke.sh [TARGET...]   (default: every target in fuzz_targets/)
# The long runs a change to the generator's input handling asks for:
#   FUZZ_SECONDS=1800 FUZZ_RUNS=1000000 fuzz/smoke.sh structured   (1M inputs or 30 minutes)
#
# Needs only the stable toolchain and crates.io: cargo-fuzz is installed if missing (into
# ../target/tools, not the user's ~/.cargo), and
# RUSTC_BOOTSTRAP=1 lets the stable compiler take the flags cargo fuzz passes for
# coverage; with `--sanitizer none` no nightly-only sanitizer runtime is needed.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-20}"
cargo_fuzz_version="0.13.2"

tools="$(cd .. && pwd)/target/tools"
export PATH="$tools/bin:$PATH"
# (Not `cargo fuzz --version | grep -q`: under pipefail, grep closing the pipe early
# could fail the check and reinstall.)
installed="$(cargo fuzz --version 2>/dev/null || true)"
if [ "$installed" != "cargo-fuzz $cargo_fuzz_version" ]; then
    echo "== installing cargo-fuzz $cargo_fuzz_version into $tools"
    cargo install cargo-fuzz --locked --version "$cargo_fuzz_version" --root "$tools"
fi
export RUSTC_BOOTSTRAP=1

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for file in fuzz_targets/*.rs; do
        name="$(basename "$file" .rs)"
        targets+=("$name")
    done
fi

# Seeds: the fixtures, the project's specs and the real descriptions in testdata/real/.
# Copied at run time, never committed, flattened to names made unique
# by a number (`a/b.yaml` and `a_b.yaml` flatten alike).
# Fixtures of known, still open crashes and hangs (any `open/` directory, such as
# codegen/tests/fixtures/hostile/open/ and fuzz/open/) are left out: they would stop the
# smoke at once; move them out of open/ when fixed.
seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
n=0
while IFS= read -r -d '' file; do
    n=$((n + 1))
    cp "$file" "$seeds/$n-$(basename "$file")"
done < <(
    for dir in ../codegen/tests/fixtures ../specs ../testdata/real; do
        [ -d "$dir" ] || continue
        find "$dir" -path '*/open' -prune -o \
            -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 |
            sort -z
    done
)
echo "== $(find "$seeds" -type f | wc -l) seed descriptions"

# Seeds of the request target, whose bytes pick a description (the first byte), an
# operation, a base URL and the values: a few patterns for each description, made here.
request_seeds="$(mktemp -d)"
trap 'rm -rf "$seeds" "$request_seeds"' EXIT
for api in 0 1 2 3 4; do
    printf "\\x0${api}\\x07\\x01\\x00/..?#&=%%+,;|[] \\r\\n\\x00%%2e%%2E\\xc3\\xa9" >"$request_seeds/text-$api"
    printf "\\x0${api}\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x09\\x0a\\x0b\\x0c\\x0d\\x0e\\x0f" >"$request_seeds/count-$api"
    head -c 256 /dev/zero | tr '\0' "\\$((api + 1))" >"$request_seeds/same-$api"
done

# The `request` target builds requests with crates generated from real descriptions, which
# are not committed (fuzz/generated/); generating them is quick when nothing changed.
echo "== generating the crates of the request target"
(cd .. && cargo run --quiet -p tools -- fuzz-prepare)

echo "== building the fuzz targets"
cargo fuzz build --sanitizer none

summary=()
for target in "${targets[@]}"; do
    echo "== fuzzing $target for ${seconds}s"
    mkdir -p "corpus/$target"
    log="$(mktemp)"
    # The structured target builds descriptions from raw bytes; description seeds mean
    # nothing to it, so it starts from its own corpus only, as does the server target
    # (its bytes pick requests); the request target, from its own seeds. The others
    # mutate text, with the words of the formats as a dictionary.
    corpora=("corpus/$target")
    flags=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1)
    # FUZZ_RUNS=N stops a target after N inputs too (the long runs: 1M, or 30 minutes).
    if [ -n "${FUZZ_RUNS:-}" ]; then flags+=(-runs="$FUZZ_RUNS"); fi
    case "$target" in
        structured | server) ;;
        request) corpora+=("$request_seeds") ;;
        *)
            corpora+=("$seeds")
            flags+=(-dict=openapi.dict)
            ;;
    esac
    status=0
    cargo fuzz run --sanitizer none "$target" "${corpora[@]}" -- "${flags[@]}" \
        >"$log" 2>&1 || status=$?
    # How many inputs ran: the final stats (-print_final_stats=1), else libFuzzer's
    # `Done N runs` line.
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    if [ -z "$runs" ]; then
        runs="$(sed -n 's/^Done \([0-9][0-9]*\) runs.*/\1/p' "$log" | tail -n 1)"
    fi
    if [ "$status" -ne 0 ]; then
        tail -n 60 "$log"
        rm -f "$log"
        echo "fuzz smoke: $target crashed after ${runs:-?} executions (see fuzz/artifacts/$target/)"
        exit 1
    fi
    # A target that exits at once "passes" without testing anything: it must have run
    # at least one input.
    case "$runs" in
        '' | *[!0-9]* | 0)
            tail -n 60 "$log"
            rm -f "$log"
            echo "fuzz smoke: $target ran no input (executions: '${runs}')"
            exit 1
            ;;
    esac
    rm -f "$log"
    summary+=("$target: ${runs:-?} executions in at most ${seconds}s, no crash")
done
echo "== fuzz smoke"
printf '%s\n' "${summary[@]}"
