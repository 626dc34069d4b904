# Apache Kafka 4.3.1, one node in KRaft mode (broker and controller), run from Maven Central jars.
# Reuses whatever already answers on SWITCHBOARD_KAFKA_HOST:PORT (a cluster of your own) and then starts nothing.
# shellcheck shell=bash

KAFKA_POM=$INFRA_DIR/kafka/pom.xml

kafka_libs_dir() {
    local key
    key=$(sha256sum "$KAFKA_POM" | cut -c1-12)
    echo "$SWITCHBOARD_CACHE_DIR/kafka-$key/libs"
}

kafka_ensure_jars() {
    local libs
    libs=$(kafka_libs_dir)
    [[ -f $libs/.complete ]] && return 0
    log "resolving Kafka jars into $libs"
    rm -rf "$libs" && mkdir -p "$libs"
    mvnw -f "$KAFKA_POM" dependency:copy-dependencies -DoutputDirectory="$libs" >&2 ||
        die "could not resolve the Kafka jars"
    touch "$libs/.complete"
}

# kafka_java MAIN_CLASS ARGS...: runs a class from the Kafka classpath in the foreground.
kafka_java() {
    kafka_ensure_jars
    "$(java_home)/bin/java" -Xms64m -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -cp "$(kafka_libs_dir)/*" "$@"
}

kafka_ready() { port_open "$SWITCHBOARD_KAFKA_HOST" "$SWITCHBOARD_KAFKA_PORT"; }

kafka_write_config() {
    local dir=$SWITCHBOARD_DATA_DIR/kafka
    mkdir -p "$dir"
    cat >"$dir/server.properties" <<PROPS
# Written by infra/lib/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$SWITCHBOARD_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$SWITCHBOARD_KAFKA_PORT,CONTROLLER://127.0.0.1:$SWITCHBOARD_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$SWITCHBOARD_KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/logs
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# One node: no reason to wait for other members before the first rebalance.
group.initial.rebalance.delay.ms=0
# Topics are created on purpose (with their partition count) by the application, not by a stray read.
auto.create.topics.enable=false
PROPS
}

kafka_up() {
    if running_pid kafka >/dev/null; then
        log "Kafka already running (pid $(running_pid kafka))"
    elif kafka_ready; then
        log "Kafka answers at $SWITCHBOARD_KAFKA_HOST:$SWITCHBOARD_KAFKA_PORT (reused, not started here)"
        return 0
    else
        is_loopback "$SWITCHBOARD_KAFKA_HOST" ||
            die "nothing answers at Kafka $SWITCHBOARD_KAFKA_HOST:$SWITCHBOARD_KAFKA_PORT"
        kafka_ensure_jars
        kafka_write_config
        local dir=$SWITCHBOARD_DATA_DIR/kafka
        if [[ ! -f $dir/logs/meta.properties ]]; then
            local cluster_id
            cluster_id=$(kafka_java kafka.tools.StorageTool random-uuid)
            log "formatting Kafka storage (cluster $cluster_id)"
            kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
                --standalone >&2 || die "could not format the Kafka storage"
        fi
        log "starting Kafka on $SWITCHBOARD_KAFKA_HOST:$SWITCHBOARD_KAFKA_PORT (log: $dir/kafka.log)"
        nohup "$(java_home)/bin/java" -Xms256m -Xmx1g -XX:+UseG1GC \
            -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.showDateTime=true \
            -Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info \
            -cp "$(kafka_libs_dir)/*" kafka.Kafka "$dir/server.properties" >>"$dir/kafka.log" 2>&1 </dev/null 9>&- &
        echo $! >"$(pid_file kafka)"
    fi
    wait_until 60 "Kafka is up" kafka_alive_and_ready || die "Kafka did not start (see $SWITCHBOARD_DATA_DIR/kafka/kafka.log)"
    # An open port is not yet a broker that serves metadata: ask it something.
    wait_until 60 "Kafka answers metadata requests" kafka_answers || die "Kafka does not answer metadata requests"
}

# Stops waiting at once when the broker we started has died (a port taken, a bad config).
kafka_alive_and_ready() {
    started_process_alive kafka || return 2
    kafka_ready
}

kafka_answers() {
    kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$SWITCHBOARD_KAFKA_HOST:$SWITCHBOARD_KAFKA_PORT" \
        --list >/dev/null 2>&1
}

kafka_down() { stop_pid kafka; }

kafka_status() {
    local pid
    pid=$(running_pid kafka) || pid="not ours"
    if kafka_ready; then
        echo "kafka     up    $SWITCHBOARD_KAFKA_HOST:$SWITCHBOARD_KAFKA_PORT  pid: $pid  log: $SWITCHBOARD_DATA_DIR/kafka/kafka.log"
    else
        echo "kafka     down  $SWITCHBOARD_KAFKA_HOST:$SWITCHBOARD_KAFKA_PORT"
        return 1
    fi
}
