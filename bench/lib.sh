# Shared by the benchmarks: the bench database, psql and kafka-topics helpers, and the service started from its
# packaged jar with the %prod configuration, pointed at the local servers (start_service; stopped on exit).
# Sourced after infra/lib/services.sh, with $root and $here set.
PORT=${BENCH_HTTP_PORT:-8095}
DB=switchboard_bench
work=$SWITCHBOARD_DATA_DIR/bench
mkdir -p "$work"

"$root/infra/up"
source "$root/infra/lib/keys.sh"
keys_ensure
# The load clients' token (one subject for every subscriber; the service lets it hold them all), a day long.
SWITCHBOARD_BENCH_TOKEN=$(SWITCHBOARD_TOKEN_TTL=86400 "$root/infra/token" bench orders:write \
    streams:shop.orders:read topics:carrier.updates:produce)
export SWITCHBOARD_BENCH_TOKEN
export PGPASSWORD=$SWITCHBOARD_DB_PASSWORD
sql() { psql -h "$SWITCHBOARD_PG_HOST" -p "$SWITCHBOARD_PG_PORT" -U "$SWITCHBOARD_DB_USER" -d "$DB" -qtAX "$@"; }
topics() { "$root/infra/bin/kafka-topics.sh" "$@"; }
# CPU seconds (user + system) a process has used so far; of them in the kernel (system time).
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
kernel_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", $15 / hz }' "/proc/$1/stat"; }

app_pid=""
cleanup() { [[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null || true; }
trap cleanup EXIT

start_service() {
    log "packaging the service"
    (cd "$root" && ./mvnw -B -q package -DskipTests)
    : >"$work/service.log"
    launch_service
}

# Starts the packaged service (again) and waits until it is ready; its log is appended to.
launch_service() {
    log "starting the service on :$PORT (log: $work/service.log)"
    SWITCHBOARD_PG_HOST=$SWITCHBOARD_PG_HOST SWITCHBOARD_PG_PORT=$SWITCHBOARD_PG_PORT SWITCHBOARD_DB_NAME=$DB \
        SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS=$SWITCHBOARD_KAFKA_HOST:$SWITCHBOARD_KAFKA_PORT \
        SWITCHBOARD_KAFKA_REPLICATION_FACTOR=1 \
        SWITCHBOARD_REGISTRY_URL=http://$SWITCHBOARD_REGISTRY_HOST:$SWITCHBOARD_REGISTRY_PORT/apis/registry/v3 \
        SWITCHBOARD_RABBITMQ_USER=${SWITCHBOARD_RABBITMQ_USER:-guest} \
        SWITCHBOARD_RABBITMQ_PASSWORD=${SWITCHBOARD_RABBITMQ_PASSWORD:-guest} \
        SWITCHBOARD_JWT_ISSUER=switchboard-dev SWITCHBOARD_JWT_AUDIENCE=switchboard \
        SWITCHBOARD_STREAMS_MAX_SOCKETS_PER_SUBJECT=100000 \
        QUARKUS_HTTP_PORT=$PORT \
        "$(java_home)/bin/java" -Xmx1g ${SERVICE_JAVA_OPTS:-} -jar "$root/target/quarkus-app/quarkus-run.jar" \
        >>"$work/service.log" 2>&1 &
    app_pid=$!
    wait_until 90 "service ready" curl -fsS -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" ||
        die "the service did not become ready (see $work/service.log)"
}

# An empty bench database, and every consumer group moved to the end of its topics. Kafka is shared with the test
# suite and earlier runs: without the move the groups would first work through records of orders this database never
# had (and dead-letter them), and the run would measure that instead. Each topic a group has offsets on is moved
# whole (--topic): --all-topics moves only the partitions with a committed offset, and a partition without one
# (a run killed before its first commit there) is then read from the beginning (one chaos run parked 557 old
# payments that way).
fresh_bench_state() {
    log "an empty bench database, and every consumer group moved to the end of its topics"
    postgres_recreate_db "$DB"
    local groups=$root/infra/bin/kafka-consumer-groups.sh group topic
    for group in $("$groups" --list 2>/dev/null); do
        for topic in $("$groups" --describe --group "$group" 2>/dev/null | awk -v g="$group" '$1 == g { print $2 }' |
            sort -u); do
            "$groups" --group "$group" --reset-offsets --to-latest --topic "$topic" --execute >/dev/null 2>&1 ||
                log "group $group not moved on $topic (is something consuming with it?)"
        done
    done
}

# The load client (bench/StreamsLoad.java) on the service's own libraries (Vert.x, Kafka's client).
load() {
    "$(java_home)/bin/java" -Xmx2g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
        -cp "$root/target/quarkus-app/lib/main/*:$root/target/quarkus-app/lib/boot/*" "$here/StreamsLoad.java" "$@"
}

# Whether every load client given (by its stderr file) has opened its subscribers: not yet (1), rather than
# never (2, which ends wait_until), also while a client has not created its file yet.
clients_ready() {
    local file
    for file; do
        grep -qs ready "$file" || return 1
    done
}

# What the service's heap holds, in KB: the live objects a class histogram counts (it collects first). Not the
# heap's "used" after a GC, which also counts the free space of regions in use and moved by 2 KB per subscriber
# between runs of the same code.
heap_used_kb() {
    "$(java_home)/bin/jcmd" "$app_pid" GC.class_histogram | awk '$1 == "Total" { printf "%d", $3 / 1024 }'
}

# For the runs of the command mix (chaos, soak): their token (subject $1), a fresh bench state, the service started,
# and the SKU every order takes stocked with $2 units so that stock never decides an order.
start_mix_service() {
    SWITCHBOARD_BENCH_TOKEN=$(SWITCHBOARD_TOKEN_TTL=86400 "$root/infra/token" "$1" orders:write orders:read \
        inventory:write streams:shop.orders:read)
    export SWITCHBOARD_BENCH_TOKEN
    fresh_bench_state
    start_service
    base=http://127.0.0.1:$PORT
    curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $SWITCHBOARD_BENCH_TOKEN" \
        -H 'Content-Type: application/json' -d "{\"available\":$2}" "$base/inventory/chaos-sku"
}
