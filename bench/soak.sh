#!/usr/bin/env bash
# Soak, on purpose (not by CI). One instance of the packaged service (%prod configuration, local servers, an empty
# bench database) takes the chaos run's steady mix of commands (place, cancel, ship) at RATE a second for DURATION
# seconds while SUBSCRIBERS WebSocket and SUBSCRIBERS SSE subscribers follow order.placed.v1. Every minute it samples
# the service's heap in use after a full GC, its live threads, its open sockets (file descriptors), the PostgreSQL
# connections to its database, and the events stored so far, and prints them as a table. A leak shows as a column
# that keeps growing; the last lines compare the first sample after the warm-up with the last.
# Usage: bench/soak.sh   (RATE=10 DURATION=1800 SUBSCRIBERS=100 to change it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
source "$root/infra/lib/services.sh"

RATE=${RATE:-10}
DURATION=${DURATION:-1800}
SUBSCRIBERS=${SUBSCRIBERS:-100}
source "$here/lib.sh"
start_mix_service soak 100000000

rm -f "$work/soak-stop"
load ws "$SUBSCRIBERS" "$work/soak-stop" "$base" >"$work/soak-ws.out" 2>"$work/soak-ws.err" &
ws_pid=$!
load sse "$SUBSCRIBERS" "$work/soak-stop" "$base" >"$work/soak-sse.out" 2>"$work/soak-sse.err" &
sse_pid=$!
wait_until 120 "$((2 * SUBSCRIBERS)) subscribers" clients_ready "$work/soak-ws.err" "$work/soak-sse.err" || die "subscribers did not open (see $work/soak-*.err)"

log "commands at $RATE/s for $DURATION s, a sample a minute"
load mix "$RATE" "$DURATION" "$base" >"$work/soak-mix.out" 2>"$work/soak-mix.err" &
load_pid=$!

sample() {
    local heap threads sockets connections events
    heap=$(heap_used_kb)
    threads=$(awk '/^Threads:/ { print $2 }' "/proc/$app_pid/status")
    sockets=$(find "/proc/$app_pid/fd" -lname 'socket:*' 2>/dev/null | wc -l)
    connections=$(sql -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB'")
    events=$(sql -c "SELECT count(*) FROM event_store")
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$((heap / 1024))" "$threads" "$sockets" "$connections" "$events"
}
{
    printf '| minute | live heap, MB | threads | open sockets | PostgreSQL connections | events stored |\n'
    printf '|---|---|---|---|---|---|\n'
} >"$work/soak.md"
for minute in $(seq 0 $((DURATION / 60))); do
    sample "$minute" | tee -a "$work/soak.md"
    kill -0 "$load_pid" 2>/dev/null || break
    sleep 55 # with the sample's own GC, about a minute apart
done
wait "$load_pid"
touch "$work/soak-stop"
wait "$ws_pid" "$sse_pid" || true

read -r sent accepted rejected unreachable < <(grep '^mix ' "$work/soak-mix.out" | cut -d' ' -f2-)
printf '\n'
cat "$work/soak.md"
printf '\ncommands sent %s, accepted %s, rejected with a reason %s, unreachable %s\n' "$sent" "$accepted" \
    "$rejected" "$unreachable"
for transport in ws sse; do
    read -r mode subs delivered p50 p99 max lost <"$work/soak-$transport.out"
    printf '%s: %s subscribers, %s events delivered, p50 %s ms, p99 %s ms, max %s ms, %s lost\n' "$mode" "$subs" \
        "$delivered" "$p50" "$p99" "$max" "$lost"
done
# Flat means: the last sample within a margin of the first one after the warm-up (minute 2).
awk -F'|' 'NR == 5 { h = $3; t = $4; s = $5; c = $6 } END {
    printf "minute 2 -> last: heap %d -> %d MB, threads %d -> %d, sockets %d -> %d, connections %d -> %d\n",
        h, $3, t, $4, s, $5, c, $6 }' "$work/soak.md"
