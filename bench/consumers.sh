#!/usr/bin/env bash
# Benchmark of the consumer side, run on purpose (not by CI). Prints, from one run on this machine:
#  1. The order-views rebuild rate: EVENTS order events (placed + confirmed, half as many orders) written
#     straight into the event store, then POST /projections/order-views/rebuild, timed by the service itself.
#  2. End to end: orders placed at RATE per second for DURATION seconds; for each, the time from POST /orders
#     until GET /orders/{id} shows "confirmed" (payments, inventory and the saga in between, each a Kafka hop
#     and a transaction); p50 and p99.
# Usage: bench/consumers.sh   (EVENTS=200000 RATE=20 DURATION=30 WARMUP=30 to change the load)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
source "$root/infra/lib/services.sh"

EVENTS=${EVENTS:-200000}
RATE=${RATE:-20}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-30}
source "$here/lib.sh"
start_service

# 1. Rebuild. Every run starts from empty tables: a store grown by earlier runs would make runs incomparable.
sql -c 'TRUNCATE event_store, outbox, outbox_parked, order_view, inbox, payment, stock_level, stock_reservation,
        order_saga, analytics_counter, dead_letter'
orders=$((EVENTS / 2))
log "writing $EVENTS events ($orders orders, placed and confirmed) into the event store"
sql <<SQL
INSERT INTO event_store (stream_id, stream_version, event_id, event_type, payload)
SELECT 'order-' || id, v, gen_random_uuid(), t, p
FROM (SELECT gen_random_uuid()::text AS id, n FROM generate_series(1, $orders) AS n) AS o,
LATERAL (VALUES
    (1, 'order.placed.v1', json_build_object('orderId', o.id, 'customerId', 'c-bench-' || (o.n % 1000),
        'currency', 'EUR', 'placedAt', 1763900000000 + o.n,
        'lines', json_build_array(json_build_object('sku', 'book', 'quantity', 2, 'unitPriceMinor', 1250),
                                  json_build_object('sku', 'pen', 'quantity', 1, 'unitPriceMinor', 300)))::jsonb),
    (2, 'order.confirmed.v1', json_build_object('orderId', o.id, 'confirmedAt', 1763900060000 + o.n)::jsonb)
) AS e(v, t, p);
SQL
rebuild() {
    curl -fsS -X POST "http://127.0.0.1:$PORT/projections/order-views/rebuild" >/dev/null
    until curl -fsS "http://127.0.0.1:$PORT/projections/order-views/rebuild" | grep -q '"state":"done"'; do
        curl -fsS "http://127.0.0.1:$PORT/projections/order-views/rebuild" | grep -q '"state":"failed"' &&
            die "the rebuild failed (see $work/service.log)"
        sleep 0.2
    done
}
log "rebuild (warm-up)"
rebuild
log "rebuild"
rebuild
status=$(curl -fsS "http://127.0.0.1:$PORT/projections/order-views/rebuild")
echo "$status"
views=$(sql -c 'select count(*) from order_view')
((views == orders)) || die "the rebuild left $views views for $orders orders"

# 2. End to end: stock enough for every order, then a steady rate of orders, each watched until confirmed.
curl -fsS -X PUT -H 'Content-Type: application/json' -d '{"available": 1000000000}' \
    "http://127.0.0.1:$PORT/inventory/bench-book" >/dev/null
log "orders to confirmed: ${WARMUP}s warm-up, then ${DURATION}s at $RATE orders/s"
python3 "$here/order-to-confirmed.py" "http://127.0.0.1:$PORT" "$RATE" "$WARMUP" >/dev/null
python3 "$here/order-to-confirmed.py" "http://127.0.0.1:$PORT" "$RATE" "$DURATION" >"$work/e2e.txt"

events=$(echo "$status" | sed -E 's/.*"events":([0-9]+).*/\1/')
rate=$(echo "$status" | sed -E 's/.*"eventsPerSecond":([0-9]+).*/\1/')
printf '\n%-44s %12s\n' "order-views rebuild" "events/s"
printf '%-44s %12s\n' "$events events into $views views" "$rate"
printf '%-44s %12s\n' "goal" ">= 50000"
cat "$work/e2e.txt"
