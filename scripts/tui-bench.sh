#!/usr/bin/env bash
# chat-tui benchmark (not a test): idle CPU and wake-ups, arrival-to-draw latency, redraw and
# memory with a 100,000-message conversation; irssi from Debian on the same work where the
# figure allows. Everything runs on loopback in private tmux servers and cleans up after itself.
#
# Usage: scripts/tui-bench.sh [BIN_DIR]     (default: .build/release; built if missing)
#        IDLE_SECONDS=30 MESSAGES=100000 scripts/tui-bench.sh
set -euo pipefail

BIN=${1:-.build/release}
IDLE_SECONDS=${IDLE_SECONDS:-30}
MESSAGES=${MESSAGES:-100000}
PROBES=${PROBES:-200}
if [[ ! -x $BIN/chat-tui || ! -x $BIN/chat-server ]]; then
    swift build -c release --product chat-server
    swift build -c release --product chat-tui
    BIN=.build/release
fi
command -v tmux >/dev/null || { echo "tui-bench: tmux is required (apt-get install tmux)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/chat-tui-bench.XXXXXX)
SOCK=chat-tui-bench-$$
SERVER_PID=
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
    exec 3>&- 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN/chat-server" --listen 127.0.0.1:0 --db :memory: --flood-rate 0 --sendq 268435456 --recvq 1048576 \
    2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/server.log" && break; sleep 0.05; done
PORT=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$WORK/server.log" | head -1 | sed 's/.*://')
[[ -n $PORT ]] || { echo "tui-bench: chat-server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }

wait_for() { # window text seconds
    local deadline=$((SECONDS + ${3:-20}))
    until tmux -L "$SOCK" capture-pane -p -t "$1" | grep -qF -- "$2"; do
        (( SECONDS < deadline )) || { echo "tui-bench: timed out waiting for '$2' in $1" >&2; tmux -L "$SOCK" capture-pane -p -t "$1" >&2; exit 1; }
        sleep 0.05
    done
}
pane_pid() { tmux -L "$SOCK" display-message -p -t "$1" '#{pane_pid}'; }
# The program in the pane (the pane runs it through env, which execs it).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
switches() { cat /proc/"$1"/task/*/status | awk '/voluntary_ctxt_switches/ {n += $2} END {print n}'; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

tmux -L "$SOCK" -f /dev/null new-session -d -s bench -n tui -x 120 -y 40 \
    "env LANG=C.UTF-8 TERM=tmux-256color CHAT_TUI_BENCH_LOG=$WORK/tui.log XDG_CONFIG_HOME=/nonexistent $BIN/chat-tui --server 127.0.0.1:$PORT --nick alice"
wait_for bench:tui "connected │ alice"
TUI_PID=$(pane_pid bench:tui)

mkdir -p "$WORK/irssi"
printf 'settings = { core = { real_name = "bench"; user_name = "ibench"; nick = "ibench"; }; "fe-common/core" = { scrollback_lines = "%s"; }; };\n' \
    "$((MESSAGES + 1000))" > "$WORK/irssi/config"
HAVE_IRSSI=0
if command -v irssi >/dev/null; then
    HAVE_IRSSI=1
    tmux -L "$SOCK" new-window -d -t bench -n irssi \
        "env LANG=C.UTF-8 TERM=tmux-256color irssi --home=$WORK/irssi -c 127.0.0.1 -p $PORT -n ibench"
    wait_for bench:irssi "ibench" 20
    sleep 2
    IRSSI_PID=$(pane_pid bench:irssi)
fi

echo "== idle, connected, ${IDLE_SECONDS} s (CPU in clock ticks of $(getconf CLK_TCK)/s; wake-ups = context switches of all threads)"
t0=$(ticks "$TUI_PID"); w0=$(switches "$TUI_PID")
if (( HAVE_IRSSI )); then i0=$(ticks "$IRSSI_PID"); j0=$(switches "$IRSSI_PID"); fi
sleep "$IDLE_SECONDS"
t1=$(ticks "$TUI_PID"); w1=$(switches "$TUI_PID")
echo "chat-tui: CPU $((t1 - t0)) ticks, wake-ups $((w1 - w0))"
if (( HAVE_IRSSI )); then
    i1=$(ticks "$IRSSI_PID"); j1=$(switches "$IRSSI_PID")
    echo "irssi:    CPU $((i1 - i0)) ticks, wake-ups $((j1 - j0))"
fi

# A sender speaking raw IRC through bash's /dev/tcp.
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'NICK bob\r\nUSER bob 0 * bob\r\n' >&3
sleep 0.5
printf 'PRIVMSG alice :first\r\n' >&3
wait_for bench:tui "alice" 10
tmux -L "$SOCK" send-keys -t bench:tui M-2   # the DM with bob (server, Online: bob)
wait_for bench:tui "[bob]" 10
: > "$WORK/tui.log"

echo "== arrival on the socket to end of draw, $PROBES messages 20 ms apart"
for i in $(seq "$PROBES"); do printf 'PRIVMSG alice :probe %d\r\n' "$i" >&3; sleep 0.02; done
wait_for bench:tui "probe $PROBES" 20
grep -o 'arrival_to_draw_us=[0-9]*' "$WORK/tui.log" | cut -d= -f2 | sort -n > "$WORK/latency"
count=$(wc -l < "$WORK/latency")
pick() { sed -n "$(( ($1 * count + 99) / 100 ))p" "$WORK/latency"; }
echo "chat-tui: batches $count, median $(pick 50) us, p99 $(pick 99) us, max $(tail -1 "$WORK/latency") us"

echo "== $MESSAGES messages into the conversation shown"
total=$((MESSAGES + PROBES + 1))
awk -v n="$MESSAGES" 'BEGIN { for (i = 1; i <= n; i++) printf "PRIVMSG alice :bulk message number %d with some words to wrap\r\nPRIVMSG ibench :bulk message number %d with some words to wrap\r\n", i, i }' >&3
deadline=$((SECONDS + 600))
until tail -1 "$WORK/tui.log" | grep -q "lines=$total"; do
    (( SECONDS < deadline )) || { echo "tui-bench: chat-tui did not receive all messages" >&2; tail -3 "$WORK/tui.log" >&2; exit 1; }
    sleep 0.2
done
wait_for bench:tui "bulk message number $MESSAGES " 60
: > "$WORK/tui.log"
for _ in $(seq 20); do
    tmux -L "$SOCK" send-keys -t bench:tui PPage; sleep 0.05
    tmux -L "$SOCK" send-keys -t bench:tui End; sleep 0.05
done
sleep 0.3
grep -o 'render_us=[0-9]*' "$WORK/tui.log" | cut -d= -f2 | sort -n > "$WORK/redraw"
count=$(wc -l < "$WORK/redraw")
echo "chat-tui redraw with $total lines: $count draws, median $(sed -n "$(( (count + 1) / 2 ))p" "$WORK/redraw") us, max $(tail -1 "$WORK/redraw") us"
echo "chat-tui RSS with $total lines: $(( $(rss_kb "$TUI_PID") / 1024 )) MB"
if (( HAVE_IRSSI )); then
    sleep 5   # let irssi catch up with its copy
    echo "irssi    RSS with its $MESSAGES lines (scrollback_lines raised to keep them): $(( $(rss_kb "$IRSSI_PID") / 1024 )) MB"
fi
