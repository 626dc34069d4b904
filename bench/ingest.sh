#!/usr/bin/env bash
# Benchmark of HTTP ingest, run on purpose (not by CI): CONCURRENCY clients posting batches of BATCH
# parcel.scanned.v1 CloudEvents to POST /topics/carrier.updates/events (each batch checked against the registry's
# schema and produced with acks=all), WARMUP seconds unmeasured then DURATION measured; next to Kafka's
# ProducerPerformance with the same record size (value and headers, from the topic's log growth), acks=all and an
# idempotent producer, on the same broker; and the ratio of the two.
# Usage: bench/ingest.sh   (BATCH=100 CONCURRENCY=8 WARMUP=30 DURATION=30 RECORDS=1000000 to change the load)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
source "$root/infra/lib/services.sh"

BATCH=${BATCH:-100}
CONCURRENCY=${CONCURRENCY:-8}
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-30}
RECORDS=${RECORDS:-1000000}
source "$here/lib.sh"
start_service
base=http://127.0.0.1:$PORT
log_dir=$SWITCHBOARD_DATA_DIR/kafka/logs

# The carrier's schema, registered as its team would (the service never registers ingest schemas).
registry=http://$SWITCHBOARD_REGISTRY_HOST:$SWITCHBOARD_REGISTRY_PORT/apis/registry/v3
python3 -c 'import json,sys; print(json.dumps({"artifactId": "ParcelScanned", "artifactType": "AVRO",
    "firstVersion": {"content": {"content": open(sys.argv[1]).read(), "contentType": "application/json"}}}))' \
    "$root/src/main/avro/ParcelScanned.avsc" |
    curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @- \
        "$registry/groups/dev.switchboard.wire.carrier/artifacts?ifExists=FIND_OR_CREATE_VERSION"

bytes() { cat "$log_dir"/carrier.updates-*/*.log 2>/dev/null | wc -c; }
before=$(bytes)
cpu_before=$(cpu_seconds "$app_pid")
log "ingest: $CONCURRENCY clients, batches of $BATCH, $WARMUP s warm-up, $DURATION s measured"
read -r _ events seconds ingest_rate refused total < <("$(java_home)/bin/java" \
    -cp "$root/target/quarkus-app/lib/main/*:$root/target/quarkus-app/lib/boot/*" "$here/StreamsLoad.java" ingest "$BATCH" \
    "$CONCURRENCY" "$WARMUP" "$DURATION" "$base" 2>"$work/ingest.err")
cpu_after=$(cpu_seconds "$app_pid")
written=$(($(bytes) - before))
record_size=$((total > 0 ? written / total : 0))
((record_size > 0)) || record_size=300

topics --create --if-not-exists --topic bench.ingest --partitions 3 >/dev/null
log "ProducerPerformance: $RECORDS records of $record_size bytes, acks=all"
"$root/infra/bin/kafka-producer-perf-test.sh" --topic bench.ingest --num-records "$RECORDS" \
    --record-size "$record_size" --throughput -1 --producer-props acks=all enable.idempotence=true linger.ms=5 \
    | tee "$work/ingest-perf.txt"
perf_rate=$(tail -n1 "$work/ingest-perf.txt" |
    awk -F'[(,]' '{for (i=1;i<=NF;i++) if ($i ~ /records\/sec/) {split($i, a, " "); print a[1]}}')

printf '\n%-56s %12s\n' "" "events/s"
printf '%-56s %12s\n' "POST batches of $BATCH, $CONCURRENCY clients ($refused refused)" "$ingest_rate"
printf '%-56s %12s\n' "ProducerPerformance, $record_size B records, acks=all" "$perf_rate"
# The service's CPU per event, warm-up included: steadier from run to run than the rates, which move with what
# else the two cores are doing.
printf '%-56s %12s\n' "service CPU per event (warm-up included), µs" \
    "$(awk -v a="$cpu_before" -v b="$cpu_after" -v n="$total" 'BEGIN { printf "%.1f", (n > 0 ? (b - a) * 1e6 / n : 0) }')"
printf '%-56s %12s\n' "ratio (goal >= 0.3)" "$(awk -v a="$ingest_rate" -v b="$perf_rate" 'BEGIN { printf "%.2f", a / b }')"
