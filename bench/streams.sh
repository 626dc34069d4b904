#!/usr/bin/env bash
# Benchmark of the live streams, run on purpose (not by CI). Against one instance of the packaged service (%prod
# configuration, local servers), for each N in SIZES: N WebSocket and N SSE subscribers to order.placed.v1 on
# shop.orders (two client processes: one process may hold at most ~19,900 sockets here), while RATE orders a second
# are placed for DURATION seconds. Prints per transport the events delivered of those expected, the delivery
# latency p50/p99/max (receipt minus the event's time, set when its command committed: command -> outbox -> Kafka
# -> hub -> subscriber), subscribers lost, the service's heap per subscriber (the live objects of a class histogram
# with the subscribers open, less before, over 2N), and the cores the service and the load clients used meanwhile.
# Before each measurement, the N subscribers get WARMUP seconds of the same load, not counted.
# Usage: bench/streams.sh   (SIZES="1000 5000" RATE=10 DURATION=30 WARMUP=30 to change the load)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
source "$root/infra/lib/services.sh"

SIZES=${SIZES:-"1000 5000"}
RATE=${RATE:-10}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-30}
source "$here/lib.sh"
start_service
base=http://127.0.0.1:$PORT

# The java process that a load client runs in (the child of its background subshell).
client_pid() { pgrep -P "$1" java | head -1; }
# CPU seconds so far of the service and of the two load clients ($clients), in that order, then the service's
# system time alone (on loopback the kernel's work for a write, the receiving side's included, is mostly the writer's).
cpu_now() {
    local pid
    for pid in "$app_pid" "${clients[@]}"; do
        printf '%s ' "$(cpu_seconds "$pid")"
    done
    kernel_seconds "$app_pid"
}
placed_orders() { sql -c "SELECT count(*) FROM event_store WHERE event_type = 'order.placed.v1'"; }
ready() { clients_ready "$work/ws.err" "$work/sse.err"; }

log "warm-up: 100 subscribers each, $RATE orders/s for 30 s"
rm -f "$work/stop"
load ws 100 "$work/stop" "$base" >/dev/null 2>"$work/ws.err" &
ws_pid=$!
load sse 100 "$work/stop" "$base" >/dev/null 2>"$work/sse.err" &
sse_pid=$!
wait_until 120 "warm-up subscribers" ready || die "subscribers did not open (see $work/*.err)"
load orders "$RATE" 30 "$base" >/dev/null
touch "$work/stop"
wait "$ws_pid" "$sse_pid" || true

results=()
cores=()
for n in $SIZES; do
    rm -f "$work/stop"
    before=$(heap_used_kb)
    log "N=$n: opening $n WebSocket and $n SSE subscribers"
    rm -f "$work/measure"
    load ws "$n" "$work/stop" "$base" "$work/measure" >"$work/ws.out" 2>"$work/ws.err" &
    ws_pid=$!
    load sse "$n" "$work/stop" "$base" "$work/measure" >"$work/sse.out" 2>"$work/sse.err" &
    sse_pid=$!
    wait_until 300 "$((2 * n)) subscribers open" ready || die "subscribers did not open (see $work/*.err)"
    after=$(heap_used_kb)
    # Unmeasured: the paths of N subscribers compiled by the JIT (a profile put 38% of the service's CPU in the C2
    # compiler when the measurement came right after the opening), then the late events of those orders delivered.
    log "N=$n: warming up, $RATE orders/s for $WARMUP s"
    load orders "$RATE" "$WARMUP" "$base" >/dev/null
    sleep 5
    touch "$work/measure"
    log "N=$n: $RATE orders/s for $DURATION s"
    placed_before=$(placed_orders)
    clients=("$(client_pid "$ws_pid")" "$(client_pid "$sse_pid")")
    cpu_before=$(cpu_now)
    read -r _ sent ok < <(load orders "$RATE" "$DURATION" "$base")
    sleep 5 # the last events reach the subscribers
    cpu_after=$(cpu_now)
    # Expected: the orders committed, not only those answered in time (a late answer may still have committed).
    placed=$(($(placed_orders) - placed_before))
    touch "$work/stop"
    wait "$ws_pid" "$sse_pid" || true
    per=$(awk -v a="$after" -v b="$before" -v n="$n" 'BEGIN { printf "%.1f", (a - b) / (2 * n) }')
    # Where the machine's time went while the events flowed: the service (the orders' own work included) and the
    # two load clients, in cores.
    window=$((DURATION + 5))
    cores+=("$(awk -v n="$n" -v w="$window" -v before="$cpu_before" -v after="$cpu_after" 'BEGIN {
        split(before, b); split(after, a)
        printf "N=%s: service %.2f cores (%.2f of them in the kernel), load clients %.2f cores", n,
            (a[1] - b[1]) / w, (a[4] - b[4]) / w, (a[2] - b[2] + a[3] - b[3]) / w
    }')")
    for transport in ws sse; do
        read -r mode subs events p50 p99 max lost <"$work/$transport.out"
        results+=("$(printf '%-4s %6s %8s %10s %7s %7s %7s %6s %9s' "$mode" "$subs" "$placed" "$events/$((placed * subs))" \
            "$p50" "$p99" "$max" "$lost" "$per")")
    done
done

printf '\n%-4s %6s %8s %10s %7s %7s %7s %6s %9s\n' transport N orders "delivered" "p50 ms" "p99 ms" "max ms" lost \
    "KB/subscr"
printf '%s\n' "${results[@]}"
printf '%s\n' "${cores[@]}"
