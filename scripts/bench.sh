#!/usr/bin/env bash
# make bench: chat-server against ngircd and InspIRCd on the same scenarios, interleaved,
# median of BENCH_RUNS runs, then a table with the ratio chat-server / best peer.
#
# Every server is started fresh for every scenario run (so memory figures start clean), on
# 127.0.0.1, with flood control off and limits raised, and stopped by PID. Raw result lines go to
# bench-results/. Exits 1 when any run failed its delivery checks or timed out.
#
# Knobs (environment): BENCH_RUNS (3), BENCH_SCENARIOS ("dm latency fanout idle join roster"),
# BENCH_SERVERS ("chat-server ngircd inspircd"), BENCH_BIN (release bin folder),
# BENCH_ARGS (extra chat-bench arguments for every run).
set -uo pipefail
cd "$(dirname "$0")/.."

RUNS=${BENCH_RUNS:-3}
SCENARIOS=${BENCH_SCENARIOS:-"dm latency fanout idle join roster"}
SERVERS=${BENCH_SERVERS:-"chat-server ngircd inspircd"}
BIN=${BENCH_BIN:-$(swift build -c release --show-bin-path)}
EXTRA_ARGS=${BENCH_ARGS:-}
BENCH="$BIN/chat-bench"
needed="$BENCH"
case " $SERVERS " in *" chat-server "*) needed="$needed $BIN/chat-server" ;; esac
for tool in $needed; do
    [ -x "$tool" ] || { echo "bench: $tool is missing; run 'swift build -c release' first" >&2; exit 1; }
done
for tool in ngircd inspircd setpriv; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is not installed (make bench installs ngircd and inspircd)" >&2; exit 1; }
done

# Both the servers and the generator need one descriptor per client (10,000 idle clients).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" -lt 10300 ]; then
    echo "bench: the open-file limit is $(ulimit -n); the idle scenario needs about 10,300" >&2
    exit 1
fi

WORK=$(mktemp -d /tmp/chat-bench.XXXXXX)
chmod 755 "$WORK"
mkdir -p bench-results
STAMP=$(date -u +%Y%m%d-%H%M%S)
RESULTS="bench-results/bench-$STAMP.txt"
: > "$RESULTS"
SERVER_PID=""
SERVER_PORT=""

stop_server() {
    [ -n "$SERVER_PID" ] || return 0
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.05; done
        kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null
    fi
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
}

cleanup() {
    stop_server
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nobody listens on, below the ephemeral range (32768+) so no client socket holds it.
free_port() {
    local port
    while true; do
        port=$(( 20000 + RANDOM % 12000 ))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

wait_accepting() {
    local port=$1
    for _ in $(seq 1 200); do
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# start_server NAME INSTANCE: sets SERVER_PID and SERVER_PORT, or returns 1.
start_server() {
    local name=$1 dir="$WORK/$2"
    mkdir -p "$dir"
    chmod 755 "$dir"
    case "$name" in
    chat-server)
        "$BIN/chat-server" --listen 127.0.0.1:0 --db "$dir/chat.db" --flood-rate 0 \
            --max-clients 20000 --max-clients-per-ip 20000 --monitor-limit 2000 \
            --recvq 1048576 --sendq 67108864 --registration-timeout 600 \
            --ping-interval 600 --idle-timeout 600 --log-level error 2>"$dir/server.log" &
        SERVER_PID=$!
        SERVER_PORT=""
        for _ in $(seq 1 200); do
            SERVER_PORT=$(sed -n 's/^chat-server: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/server.log" 2>/dev/null | head -1)
            [ -n "$SERVER_PORT" ] && break
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.05
        done
        [ -n "$SERVER_PORT" ] || { echo "bench: chat-server did not start: $(tail -3 "$dir/server.log")" >&2; return 1; }
        ;;
    ngircd)
        SERVER_PORT=$(free_port)
        sed -e "s|@PORT@|$SERVER_PORT|g" -e "s|@DIR@|$dir|g" scripts/bench/ngircd.conf.in >"$dir/ngircd.conf"
        chown -R nobody:nogroup "$dir"
        ngircd -n -f "$dir/ngircd.conf" >"$dir/server.log" 2>&1 &
        SERVER_PID=$!
        ;;
    inspircd)
        # InspIRCd refuses to run as root: run it as nobody, with files nobody can read and write.
        SERVER_PORT=$(free_port)
        sed -e "s|@PORT@|$SERVER_PORT|g" -e "s|@DIR@|$dir|g" scripts/bench/inspircd.conf.in >"$dir/inspircd.conf"
        echo "chat-bench" >"$dir/motd.txt"
        chown -R nobody:nogroup "$dir"
        setpriv --reuid=nobody --regid=nogroup --clear-groups \
            inspircd --nofork --config "$dir/inspircd.conf" >"$dir/server.log" 2>&1 &
        SERVER_PID=$!
        ;;
    esac
    wait_accepting "$SERVER_PORT" || { echo "bench: $name did not accept on port $SERVER_PORT: $(tail -3 "$dir/server.log")" >&2; return 1; }
}

# Per-server arguments: how arrivals are watched in the roster storm, and how many
# registrations the generator keeps open at once (InspIRCd completes registrations on a
# one-second timer, so it needs many at once to connect 10,000 clients in reasonable time;
# ngircd's listen backlog is 10, so more than a few at once overflow it).
server_args() {
    case "$1" in
    chat-server) echo "--roster-mode cap --connect-concurrency 8" ;;
    ngircd) echo "--roster-mode none --connect-concurrency 8" ;;
    inspircd) echo "--roster-mode monitor --connect-concurrency 1000" ;;
    esac
}

# DM and fan-out drive the server from two generator threads: with one, the generator's own
# turn-around (not the server) set the pace for chat-server, whose loop and storage threads then sat
# idle part of the time, while the single-threaded peers measured the same with one or two threads.
scenario_args() {
    case "$1" in
    dm) echo "--pairs 50 --window 64 --duration 4 --threads 2" ;;
    latency) echo "--pairs 50 --rate 20000 --duration 4 --warmup 0.5" ;;
    fanout) echo "--members 500 --messages 10000 --window 64 --threads 2" ;;
    idle) echo "--clients 10000 --probes 10 --settle 1 --timeout 240" ;;
    join) echo "--clients 1000" ;;
    roster) echo "--clients 1000" ;;
    esac
}

FAILED=0
START=$(date +%s)
echo "chat-bench: runs=$RUNS scenarios=[$SCENARIOS] servers=[$SERVERS]; raw lines in $RESULTS"
for run in $(seq 1 "$RUNS"); do
    # Rotate the server order each run so no server always goes first on a warm or cold machine.
    read -r -a order <<<"$SERVERS"
    shift_by=$(( (run - 1) % ${#order[@]} ))
    order=("${order[@]:$shift_by}" "${order[@]:0:$shift_by}")
    for scenario in $SCENARIOS; do
        for server in "${order[@]}"; do
            if ! start_server "$server" "$server-$scenario-$run"; then
                echo "run=$run kind=error scenario=$scenario server=$server message=server_did_not_start" | tee -a "$RESULTS"
                FAILED=1
                stop_server
                continue
            fi
            # shellcheck disable=SC2046
            line=$(timeout 300 "$BENCH" --server "127.0.0.1:$SERVER_PORT" --scenario "$scenario" --label "$server" \
                --server-pid "$SERVER_PID" $(server_args "$server") $(scenario_args "$scenario") $EXTRA_ARGS 2>&1 | tail -1)
            [ -n "$line" ] || line="kind=error scenario=$scenario server=$server message=no_output"
            echo "run=$run $line" | tee -a "$RESULTS"
            case "$line" in kind=result*) ;; *) FAILED=1 ;; esac
            stop_server
        done
    done
done
echo "chat-bench: $(( $(date +%s) - START )) s"
echo
bash scripts/bench/table.sh "$RESULTS" "$SERVERS"
exit $FAILED
