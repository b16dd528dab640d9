#!/usr/bin/env bash
# profile.sh [dm|fanout]: where chat-server spends its work per message under chat-bench load.
#
# 1. callgrind: two runs of different length under valgrind; the difference in instructions
#    divided by the difference in messages is the marginal cost per message, free of start-up and
#    registration. Printed per thread, with the top functions (self and inclusive) of each.
# 2. strace -c on the native server during one full-speed run: system calls per message.
#
# Needs valgrind, strace, binutils (objcopy). BENCH_BIN as in scripts/bench.sh.
# valgrind 3.19 cannot read the DWARF Swift 6.3 writes, so a copy without debug info is profiled
# (function names still come from the symbol table).
set -uo pipefail
cd "$(dirname "$0")/../.."
SCENARIO=${1:-dm}
BIN=${BENCH_BIN:-$(swift build -c release --show-bin-path)}
for tool in valgrind callgrind_annotate strace objcopy; do
    command -v "$tool" >/dev/null || { echo "profile: $tool is not installed" >&2; exit 1; }
done
case "$SCENARIO" in
dm) SMALL="--pairs 10 --duration 3"; LARGE="--pairs 10 --duration 9"; FULL="--pairs 50 --duration 3" ;;
fanout) SMALL="--members 100 --messages 200"; LARGE="--members 100 --messages 1000"; FULL="--members 500 --messages 10000" ;;
*) echo "usage: profile.sh [dm|fanout]" >&2; exit 64 ;;
esac

WORK=$(mktemp -d /tmp/chat-profile.XXXXXX)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
objcopy --strip-debug "$BIN/chat-server" "$WORK/chat-server"
demangle() { if command -v swift >/dev/null; then swift demangle --simplified; else cat; fi; }

# start_server PREFIX...: starts "$@ chat-server …" with history on; sets SERVER_PID and PORT.
start_server() {
    local dir
    dir=$(mktemp -d "$WORK/server.XXXX")
    "$@" "$WORK/chat-server" --listen 127.0.0.1:0 --db "$dir/chat.db" --flood-rate 0 --max-clients-per-ip 20000 \
        --registration-timeout 600 --ping-interval 600 --idle-timeout 600 --log-level error 2>"$dir/log" &
    SERVER_PID=$!
    PORT=""
    for _ in $(seq 1 600); do
        PORT=$(sed -n 's/^chat-server: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/log" 2>/dev/null | head -1)
        [ -n "$PORT" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "profile: chat-server did not start: $(tail -3 "$dir/log")" >&2
    exit 1
}

stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
}

# bench ARGS…: runs chat-bench against the current server, prints its line, sets DELIVERED.
bench() {
    local line
    line=$("$BIN/chat-bench" --server "127.0.0.1:$PORT" --scenario "$SCENARIO" --server-pid "$SERVER_PID" --timeout 600 "$@" | tail -1)
    echo "  $line"
    case "$line" in kind=result*) ;; *) echo "profile: the run failed" >&2; exit 1 ;; esac
    DELIVERED=$(sed -n 's/.* delivered=\([0-9]*\).*/\1/p' <<<"$line")
}

echo "== callgrind, $SCENARIO ($SMALL, then $LARGE)"
for size in small large; do
    args=$SMALL; [ "$size" = large ] && args=$LARGE
    start_server valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$WORK/cg-$size.out"
    # shellcheck disable=SC2086
    bench $args
    eval "DELIVERED_$size=$DELIVERED"
    stop_server
done
MESSAGES=$(( DELIVERED_large - DELIVERED_small ))
echo "marginal messages: $MESSAGES"
totals() { sed -n 's/^summary: \([0-9]*\)/\1/p' "$1"; }
for large in "$WORK"/cg-large.out-*; do
    thread=${large##*-}
    small="$WORK/cg-small.out-$thread"
    [ -f "$small" ] || continue
    per=$(awk -v a="$(totals "$small")" -v b="$(totals "$large")" -v m="$MESSAGES" 'BEGIN { printf "%.0f", (b - a) / m }')
    [ "$per" -gt 100 ] || continue
    echo
    echo "-- thread $thread: $per instructions per message"
    for kind in self inclusive; do
        flag=""; [ "$kind" = inclusive ] && flag="--inclusive=yes"
        echo "   top $kind (instructions per message):"
        # shellcheck disable=SC2086
        join -t '|' -1 1 -2 1 \
            <(callgrind_annotate $flag "$small" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) ([ 0-9.]*%)  \(.*\)$/\2|\1/p' | sort -t '|' -k1,1) \
            <(callgrind_annotate $flag "$large" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) ([ 0-9.]*%)  \(.*\)$/\2|\1/p' | sort -t '|' -k1,1) \
            | awk -F '|' -v m="$MESSAGES" '{ a = $2; b = $3; gsub(/,/, "", a); gsub(/,/, "", b); d = (b - a) / m; if (d >= 100) printf "%10.0f  %s\n", d, $1 }' \
            | sort -rn | head -15 | sed 's/ \[[^]]*\]$//' | demangle | cut -c1-170
    done
done

echo
echo "== strace -c, $SCENARIO ($FULL, full speed)"
start_server
strace -c -f -p "$SERVER_PID" -o "$WORK/strace.txt" &
STRACE_PID=$!
sleep 0.5
# shellcheck disable=SC2086
bench $FULL
kill -INT "$STRACE_PID"
wait "$STRACE_PID" 2>/dev/null
stop_server
# strace -c rows: % time, seconds, usecs/call, calls, [errors,] syscall.
awk -v m="$DELIVERED" '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" {
    printf "%12d  %-14s %.4f per delivered message\n", $4, $NF, $4 / m
}' "$WORK/strace.txt" | sort -rn | head -12
echo "(counts cover the whole run including connect and registration; $DELIVERED messages delivered)"
