#!/usr/bin/env bash
# Benchmark of the Kafka -> RabbitMQ bridge, run on purpose (not by CI). Prints, from one run on this machine:
#  1. the bridge: MESSAGES Avro events produced onto Kafka topic bench.bridge, forwarded by the service's
#     notify-bridge group (pointed at that topic for the run) to exchange shop.notifications with publisher
#     confirms, counted arriving in a bench queue: messages/s from the first record produced to the last arrival;
#  2. a plain RabbitMQ publisher with publisher confirms (WINDOW unconfirmed at most) of as many messages of the
#     same size and headers to the same exchange and queue, on the same broker;
#  and the ratio of the two. A warm-up round of each runs first.
# Usage: bench/bridge.sh   (MESSAGES=50000 WARMUP_MESSAGES=20000 WINDOW=1000 to change the load)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
source "$root/infra/lib/services.sh"

MESSAGES=${MESSAGES:-50000}
WARMUP_MESSAGES=${WARMUP_MESSAGES:-20000}
WINDOW=${WINDOW:-1000}
source "$here/lib.sh"
# A fresh bench topic every run: a new group reads it from its start, and records of an earlier run must not be
# counted as this run's.
topics --delete --if-exists --topic bench.bridge >/dev/null
bench_topic_gone() { ! topics --list | grep -qx bench.bridge; }
wait_until 60 "old bench topic deleted" bench_topic_gone || die "topic bench.bridge is not going away"
topics --create --topic bench.bridge --partitions 3 --replication-factor 1 >/dev/null
# The bridge reads the bench topic from its start, under a group of its own, and forwards the bench event type.
export MP_MESSAGING_INCOMING_NOTIFY_BRIDGE_TOPICS=bench.bridge
export MP_MESSAGING_INCOMING_NOTIFY_BRIDGE_GROUP_ID=bench-bridge-$(date +%s)
export SWITCHBOARD_BRIDGE_EVENT_TYPES='bench.*'
start_service

load() {
    "$(java_home)/bin/java" -cp "$root/target/classes:$root/target/quarkus-app/lib/main/*:$root/target/quarkus-app/lib/boot/*" \
        "$here/BridgeLoad.java" "$@" 2>>"$work/bridge-load.log"
}
log "warm-up: $WARMUP_MESSAGES through the bridge, $WARMUP_MESSAGES published directly"
load bridge "$WARMUP_MESSAGES" >/dev/null
load baseline "$WARMUP_MESSAGES" "$WINDOW" >/dev/null
log "measuring: $MESSAGES messages each"
read -r _ _ bridge_seconds bridge_rate < <(load bridge "$MESSAGES")
read -r _ _ baseline_seconds baseline_rate < <(load baseline "$MESSAGES" "$WINDOW")

printf '\n%-52s %10s %12s\n' "" "seconds" "messages/s"
printf '%-52s %10s %12s\n' "bridge Kafka -> RabbitMQ, publisher confirms" "$bridge_seconds" "$bridge_rate"
printf '%-52s %10s %12s\n' "plain publisher, confirms, window $WINDOW" "$baseline_seconds" "$baseline_rate"
printf '%-52s %10s %12s\n' "ratio" "" "$(awk -v a="$bridge_rate" -v b="$baseline_rate" 'BEGIN { printf "%.2f", a / b }')"
