#!/usr/bin/env bash
# (e) counted in instructions: how many the server executes per /kitchen render (200 open
# orders), by callgrind. Unlike milliseconds, the count repeats whatever else the machine is
# doing, so two builds can be compared on a busy or drifting machine. Slow: the 320 renders
# of `loadgen page` take 5 to 15 minutes under valgrind.
#
# Usage: benches/page-callgrind.sh [server binary, default target/release/pizzeria]
# Needs valgrind, and `cargo build --release -p pizzeria -p loadgen`.
set -euo pipefail

if [ -n "${PAGE_CALLGRIND_SERVER:-}" ]; then
    # Called by loadgen in place of the server. `serve` runs under callgrind in the background,
    # so that it outlives the SIGKILL loadgen ends with; the outer run then stops it with
    # SIGTERM, and callgrind writes its counts as the server exits.
    if [ "${1:-}" = serve ]; then
        valgrind --tool=callgrind --callgrind-out-file="$PAGE_CALLGRIND_OUT" "$PAGE_CALLGRIND_SERVER" "$@" &
        echo $! >"$PAGE_CALLGRIND_OUT.pid"
        wait
    else
        exec "$PAGE_CALLGRIND_SERVER" "$@"
    fi
    exit
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
server="$(realpath "${1:-target/release/pizzeria}")"
out="$PWD/target/bench/page-callgrind"
mkdir -p "$out"
export PAGE_CALLGRIND_SERVER="$server" PAGE_CALLGRIND_OUT="$out/callgrind.out"
rm -f "$PAGE_CALLGRIND_OUT" "$PAGE_CALLGRIND_OUT.pid"
ulimit -n 20000
# loadgen's own figures (milliseconds, CPU of the wrapper) mean nothing under valgrind.
timeout 1800 target/release/loadgen --server-bin "$PWD/benches/page-callgrind.sh" --out "$out" page
pid="$(cat "$PAGE_CALLGRIND_OUT.pid")"
kill -TERM "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 1; done

# Everything the server did to answer page requests, divided by the requests `loadgen page`
# makes: 20 to warm up and 300 measured.
requests=320
# (awk reads to the end: a `grep -m1` would close the pipe early, and pipefail stop the script.)
render="$(callgrind_annotate --inclusive=yes "$PAGE_CALLGRIND_OUT" |
    awk '!found && /leptos_axum::handle_response_inner::\{\{closure\}\} \[/ { gsub(",", "", $1); print $1; found = 1 }')"
echo "instructions per /kitchen render: $((render / requests)) (callgrind profile: $PAGE_CALLGRIND_OUT)"
