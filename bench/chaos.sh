#!/usr/bin/env bash
# Chaos run, on purpose (not by CI). One instance of the packaged service (%prod configuration, local servers) on an
# empty bench database takes a steady mix of commands (place, cancel, ship; the saga confirms or cancels each
# placed order) at RATE a second for DURATION seconds with SUBSCRIBERS live stream subscribers (half WebSocket, half
# SSE, every event on shop.orders, each resuming from its last position whenever it is cut off), while the service
# is killed with SIGKILL KILLS times at random moments and started again, each server in RESTARTS is stopped for
# 10 s and started again once, spread over the run, and POISON records that no consumer can decode are written to
# shop.orders half-way. Then, once quiet, it reconciles from the sources of truth and prints a table:
#   every event in the store is on Kafka (its ce_id on shop.orders), no outbox row is pending, every order view is
#   at its stream's last version, no saga is left waiting (no order still only placed), one confirmation
#   notification per confirmed order, every subscriber got every event (no gap across its resumes, none twice at one
#   position), and the dead letters are exactly the poison, once for each group that reads it.
# Exits non-zero on any loss or mismatch.
# Usage: bench/chaos.sh   (RATE=10 DURATION=150 KILLS=10 RESTARTS="kafka rabbitmq postgres" SUBSCRIBERS=200
#                          POISON=3 to change it)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
source "$root/infra/lib/services.sh"

RATE=${RATE:-10}
DURATION=${DURATION:-150}
KILLS=${KILLS:-10}
RESTARTS=${RESTARTS:-"kafka rabbitmq postgres"}
SUBSCRIBERS=${SUBSCRIBERS:-200}
POISON=${POISON:-3}
((POISON >= 1)) || die "POISON must be at least 1: the dead letters are checked against it"
# The groups that read order.placed.v1 from shop.orders, and so dead-letter each poison record once.
POISON_READERS=(order-views payments inventory analytics)
source "$here/lib.sh"
start_mix_service chaos 1000000

log "$SUBSCRIBERS live subscribers"
rm -f "$work/resume-stop" "$work/poison-ids"
load resume "$SUBSCRIBERS" "$work/resume-stop" "$base" "$work/store-ids" >"$work/resume.out" 2>"$work/resume.err" &
resume_pid=$!
wait_until 120 "subscribers in place" clients_ready "$work/resume.err" || die "no subscribers (see $work/resume.err)"

log "commands at $RATE/s for $DURATION s, $KILLS kills, $POISON poison records half-way"
load mix "$RATE" "$DURATION" "$base" >"$work/mix.out" 2>"$work/mix.err" &
load_pid=$!
restart_servers() {
    local servers=($RESTARTS) i=0
    for server in "${servers[@]}"; do
        i=$((i + 1))
        sleep $((DURATION * i / (${#servers[@]} + 1) - (i > 1 ? DURATION * (i - 1) / (${#servers[@]} + 1) + 10 : 0)))
        log "stopping $server for 10 s"
        "$root/infra/down" "$server" >>"$work/restarts.log" 2>&1
        sleep 10
        "$root/infra/up" "$server" >>"$work/restarts.log" 2>&1 || log "$server did not come back (see $work/restarts.log)"
        log "$server is back"
    done
}
restart_servers &
restarts_pid=$!
(sleep $((DURATION / 2)) && load poison "$POISON" "$SWITCHBOARD_KAFKA_HOST:$SWITCHBOARD_KAFKA_PORT" \
    >"$work/poison-ids" 2>"$work/poison.err") &
poison_pid=$!
gap=$((DURATION / (KILLS + 1)))
for kill in $(seq 1 "$KILLS"); do
    sleep $((gap / 2 + RANDOM % (gap > 1 ? gap : 1)))
    kill -0 "$load_pid" 2>/dev/null || break
    log "SIGKILL $kill of $KILLS"
    kill -KILL "$app_pid"
    wait "$app_pid" 2>/dev/null || true
    launch_service
done
wait "$load_pid"
wait "$restarts_pid"
wait "$poison_pid" || die "the poison was not written (see $work/poison.err)"
poison_ids=$(sed "s/.*/'&'/" "$work/poison-ids" | paste -sd,)

# Views behind their streams: a stream without a view counts too.
stale_views_sql="SELECT count(*) FROM (SELECT stream_id, max(stream_version) AS v FROM event_store
    WHERE stream_id LIKE 'order-%' GROUP BY stream_id) s LEFT JOIN order_view o ON s.stream_id = 'order-' || o.order_id
    WHERE o.version IS DISTINCT FROM s.v"
poison_parked_sql="SELECT count(DISTINCT (event_id, consumer_group)) FROM dead_letter WHERE status = 'parked'
    AND event_id IN ($poison_ids)"
log "waiting for quiet (outbox empty, every view at its stream's version, no saga waiting, the poison parked)," \
    "at most 300 s"
quiet() {
    [[ $(sql -c "SELECT count(*) FROM outbox") == 0 ]] && [[ $(sql -c "$stale_views_sql") == 0 ]] &&
        [[ $(sql -c "SELECT count(*) FROM order_view WHERE status = 'placed'") == 0 ]] &&
        [[ $(sql -c "$poison_parked_sql") == $((POISON * ${#POISON_READERS[@]})) ]]
}
quiet_from=$SECONDS
wait_until 300 "quiet" quiet || log "not quiet after 300 s: reconciling what is there"
quiet_after=$((SECONDS - quiet_from))
# Recovery without an operator: ready again after every fault, with nobody restarting it for the servers' sake.
ready=$(curl -s -o "$work/ready.json" -w '%{http_code}' "$base/q/health/ready")
[[ $ready == 200 ]] || log "not ready at the end: $(grep -o '"name":"[^"]*","status":"DOWN"[^}]*}' "$work/ready.json")"
sleep 10 # the last notifications through the bridge and RabbitMQ

log "reading shop.orders"
"$root/infra/bin/kafka-console-consumer.sh" --topic shop.orders --from-beginning --timeout-ms 15000 \
    --property print.headers=true --property print.value=false 2>/dev/null |
    grep -o 'ce_id:[0-9a-f-]*' | cut -d: -f2 | sort >"$work/kafka-all"
sort -u "$work/kafka-all" >"$work/kafka-ids"
sql -c "SELECT event_id FROM event_store WHERE stream_id LIKE 'order-%'" | sort -u >"$work/store-ids"
touch "$work/resume-stop"
wait "$resume_pid" || true
read -r subscribers reconnects with_gap missed twice < <(grep '^resume ' "$work/resume.out" | cut -d' ' -f2-)

read -r sent accepted rejected unreachable < <(grep '^mix ' "$work/mix.out" | cut -d' ' -f2-)
events=$(wc -l <"$work/store-ids")
lost=$(comm -23 "$work/store-ids" "$work/kafka-ids" | wc -l)
pending=$(sql -c "SELECT count(*) FROM outbox")
stale_views=$(sql -c "$stale_views_sql")
waiting=$(sql -c "SELECT count(*) FROM order_view WHERE status = 'placed'")
confirmed=$(sql -c "SELECT count(DISTINCT stream_id) FROM event_store WHERE event_type = 'order.confirmed.v1'")
this_run="'order-' || order_id IN (SELECT stream_id FROM event_store)"
notified=$(sql -c "SELECT count(DISTINCT order_id) FROM notification WHERE event_type = 'order.confirmed.v1'
    AND $this_run")
notices=$(sql -c "SELECT count(*) FROM notification WHERE event_type = 'order.confirmed.v1' AND $this_run")
poison_parked=$(sql -c "$poison_parked_sql")
# Anything else parked is a consumer that gave up on a good event.
other_parked=$(sql -c "SELECT count(*) FROM dead_letter WHERE status = 'parked' AND (event_id IS NULL OR event_id NOT IN ($poison_ids))")
# Events of this run's store published more than once (a relay killed between Kafka's ack and the row's delete).
duplicates_on_kafka=$(uniq -d "$work/kafka-all" | comm -12 - "$work/store-ids" | wc -l)

printf '\n| measure | value |\n|---|---|\n'
printf '| commands sent | %s |\n| accepted | %s |\n| rejected with a reason | %s |\n' "$sent" "$accepted" "$rejected"
grep '^rejected ' "$work/mix.out" | sed 's/^rejected /|   /; s/ \([0-9]*\)$/ | \1 |/'
printf '| unreachable or unanswered (the service down or starting; some of them committed) | %s |\n| SIGKILLs | %s |\n' "$unreachable" "$KILLS"
printf '| servers stopped and restarted once | %s |\n' "${RESTARTS:-none}"
printf '| seconds from the end of the load until quiet | %s |\n' "$quiet_after"
printf '| readiness at the end (no manual step) | %s |\n' "$ready"
printf '| events in the store | %s |\n| of them on Kafka | %s |\n' "$events" "$((events - lost))"
printf '| duplicates on Kafka (same ce_id again, absorbed by the consumers) | %s |\n' "$duplicates_on_kafka"
printf '| outbox rows pending | %s |\n| order views not at their last version | %s |\n' "$pending" "$stale_views"
printf '| orders still waiting for the saga | %s |\n' "$waiting"
printf '| confirmed orders / notified / notifications | %s / %s / %s |\n' "$confirmed" "$notified" "$notices"
printf '| live subscribers / resumes / with a gap / events missed / delivered twice |'
printf ' %s / %s / %s / %s / %s |\n' "$subscribers" "$reconnects" "$with_gap" "$missed" "$twice"
printf '| poison injected / dead letters of it (one per group that reads it) | %s / %s |\n' "$POISON" "$poison_parked"
printf '| other dead letters | %s |\n' "$other_parked"
printf '| **lost** | **%s** |\n\n' "$lost"

((lost == 0 && pending == 0 && stale_views == 0 && waiting == 0 && confirmed == notified && notified == notices &&
    poison_parked == POISON * ${#POISON_READERS[@]} && other_parked == 0 && with_gap == 0 && twice == 0 &&
    subscribers == SUBSCRIBERS && ready == 200)) || die "reconciliation failed (see above; service log $work/service.log)"
log "nothing lost, nothing applied twice"
