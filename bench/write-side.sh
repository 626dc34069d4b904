#!/usr/bin/env bash
# Benchmark of the orders write side, run on purpose (not by CI). Prints, from one run on this machine:
#  1. POST /orders at a fixed concurrency (wrk): commands/s, p50, p99; next to pgbench running the same SQL
#     shape (version read + event insert + outbox insert, one transaction) on the same PostgreSQL; the ratio.
#  2. The outbox relay's drain rate for N pending rows; next to Kafka's ProducerPerformance with the same
#     record size (acks=all) on the same broker; the ratio.
# The service runs from its packaged jar with the %prod configuration, pointed at the local servers.
# Both sides of the service are warmed up first (WARMUP seconds of commands, a 20,000-row drain): the JIT
# keeps compiling for about a minute, and until then the service runs at half its steady speed.
# Usage: bench/write-side.sh   (CONCURRENCY=16 DURATION=20 WARMUP=60 ROWS=100000 to change the load)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
source "$root/infra/lib/services.sh"

CONCURRENCY=${CONCURRENCY:-16}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-60}
ROWS=${ROWS:-100000}
source "$here/lib.sh"
command -v wrk >/dev/null || apt_install wrk
command -v pgbench >/dev/null || apt_install postgresql-contrib
start_service

# Every run starts from empty tables: a store grown by earlier runs would make runs incomparable.
sql -c 'TRUNCATE event_store, outbox, outbox_parked, order_view'

# 1. Commands over HTTP, then the same SQL through pgbench.
log "warming up for ${WARMUP}s"
wrk -t2 -c"$CONCURRENCY" -d"${WARMUP}s" -s "$here/post-order.lua" "http://127.0.0.1:$PORT/orders" >/dev/null
log "POST /orders: $CONCURRENCY connections, ${DURATION}s"
wrk -t2 -c"$CONCURRENCY" -d"${DURATION}s" --latency -s "$here/post-order.lua" \
    "http://127.0.0.1:$PORT/orders" | tee "$work/wrk.txt"
grep -q 'Non-2xx' "$work/wrk.txt" && die "some POST /orders did not answer 201"
http_rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else printf "%.2f", v*1000 }'; }
http_p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$work/wrk.txt")")
http_p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$work/wrk.txt")")

sql <<'SQL'
CREATE SCHEMA IF NOT EXISTS pgbench;
DROP TABLE IF EXISTS pgbench.event_store, pgbench.outbox;
CREATE TABLE pgbench.event_store (LIKE public.event_store INCLUDING ALL);
CREATE TABLE pgbench.outbox (LIKE public.outbox INCLUDING ALL);
CREATE TRIGGER outbox_notify AFTER INSERT ON pgbench.outbox FOR EACH STATEMENT EXECUTE FUNCTION public.outbox_notify();
SQL
log "pgbench, same SQL shape: $CONCURRENCY clients, ${DURATION}s"
rm -f "$work"/pgbench_log.*
(cd "$work" && PGOPTIONS='-c search_path=pgbench,public' pgbench -n -h "$SWITCHBOARD_PG_HOST" \
    -p "$SWITCHBOARD_PG_PORT" -U "$SWITCHBOARD_DB_USER" -c "$CONCURRENCY" -j 2 -T "$DURATION" -l \
    -f "$here/append.sql" "$DB" | tee "$work/pgbench.txt")
sql_tps=$(awk -F'= ' '/^tps/ {split($2, a, " "); print a[1]}' "$work/pgbench.txt")
read -r sql_p50 sql_p99 < <(cat "$work"/pgbench_log.* | awk '{print $3}' | sort -n |
    awk '{v[NR]=$1} END {printf "%.2f %.2f\n", v[int(NR*0.50)]/1000, v[int(NR*0.99)]/1000}')
sql -c 'DROP SCHEMA pgbench CASCADE'

# 2. Relay drain: N valid rows committed at once, timed until the outbox is empty again.
# pending_rows N: commits N valid outbox rows for topic bench.orders (5,000 keys) in one transaction.
pending_rows() {
    sql <<SQL
INSERT INTO outbox (event_id, topic, message_key, event_type, source, subject, occurred_at, avro_schema, payload,
                    correlation_id, causation_id)
SELECT gen_random_uuid(), 'bench.orders', 'bench-' || (n % 5000), 'order.placed.v1', '/switchboard/shop/orders',
       'bench-' || (n % 5000), now(), 'dev.switchboard.wire.orders.OrderPlaced',
       json_build_object('orderId', 'bench-' || (n % 5000), 'customerId', 'c-bench', 'currency', 'EUR',
                         'lines', json_build_array(json_build_object('sku', 'book', 'quantity', 2, 'unitPriceMinor', 1250),
                                                   json_build_object('sku', 'pen', 'quantity', 1, 'unitPriceMinor', 300)),
                         'placedAt', 1763900000000)::jsonb,
       'corr-bench', 'command:bench'
FROM generate_series(1, $1) AS n;
SQL
}
outbox_empty() { [[ $(sql -c 'select count(*) from outbox') == 0 ]]; }
topics --create --if-not-exists --topic bench.orders --partitions 3 >/dev/null
wait_until 60 "outbox empty" outbox_empty || die "the outbox does not drain"
log "warming up the relay with 20000 rows"
pending_rows 20000
wait_until 120 "warm-up drained" outbox_empty || die "the outbox does not drain"
log "outbox relay: draining $ROWS rows"
log_dir=$SWITCHBOARD_DATA_DIR/kafka/logs
bytes_before=$(cat "$log_dir"/bench.orders-*/*.log 2>/dev/null | wc -c)
pending_rows "$ROWS"
start=$(date +%s.%N)
until outbox_empty; do sleep 0.1; done
drain_s=$(echo "$(date +%s.%N) - $start" | bc -l)
relay_rate=$(echo "$ROWS / $drain_s" | bc -l)
bytes_after=$(cat "$log_dir"/bench.orders-*/*.log 2>/dev/null | wc -c)
record_size=$(((bytes_after - bytes_before) / ROWS))
((record_size > 0)) || record_size=300

topics --create --if-not-exists --topic bench.perf --partitions 3 >/dev/null
log "ProducerPerformance: $ROWS records of $record_size bytes, acks=all"
"$root/infra/bin/kafka-producer-perf-test.sh" --topic bench.perf --num-records "$ROWS" --record-size "$record_size" \
    --throughput -1 --producer-props acks=all enable.idempotence=true linger.ms=5 | tee "$work/perf.txt"
perf_rate=$(tail -n1 "$work/perf.txt" | awk -F'[(,]' '{for (i=1;i<=NF;i++) if ($i ~ /records\/sec/) {split($i, a, " "); print a[1]}}')

printf '\n%-44s %12s %10s %10s\n' "write side, $CONCURRENCY concurrent" "per second" "p50 ms" "p99 ms"
printf '%-44s %12.0f %10s %10s\n' "POST /orders (service)" "$http_rps" "$http_p50" "$http_p99"
printf '%-44s %12.0f %10s %10s\n' "pgbench, same SQL shape" "$sql_tps" "$sql_p50" "$sql_p99"
printf '%-44s %12.2f %10s\n' "ratio (goal >= 0.6)" "$(echo "$http_rps / $sql_tps" | bc -l)" ""
printf '\n%-44s %12s\n' "publishing $ROWS records (~$record_size B on disk)" "records/s"
printf '%-44s %12.0f\n' "outbox relay drain" "$relay_rate"
printf '%-44s %12.0f\n' "ProducerPerformance, acks=all" "$perf_rate"
printf '%-44s %12.2f\n' "ratio (goal >= 0.25)" "$(echo "$relay_rate / $perf_rate" | bc -l)"
