# RabbitMQ: reuse the broker that answers on SWITCHBOARD_RABBITMQ_HOST:PORT; on this machine, install and
# start the Debian package if none does. The management plugin is enabled (UI and HTTP API on 15672).
# shellcheck shell=bash

rabbitmq_ready() { port_open "$SWITCHBOARD_RABBITMQ_HOST" "$SWITCHBOARD_RABBITMQ_PORT"; }

rabbitmq_up() {
    if rabbitmq_ready; then
        log "RabbitMQ answers at $SWITCHBOARD_RABBITMQ_HOST:$SWITCHBOARD_RABBITMQ_PORT (reused)"
    else
        is_loopback "$SWITCHBOARD_RABBITMQ_HOST" ||
            die "nothing answers at RabbitMQ $SWITCHBOARD_RABBITMQ_HOST:$SWITCHBOARD_RABBITMQ_PORT"
        if ! command -v rabbitmq-server >/dev/null; then
            log "installing RabbitMQ (Debian package)"
            apt_install rabbitmq-server
        fi
        log "starting RabbitMQ"
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$SWITCHBOARD_RABBITMQ_PORT \
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-rabbitmq_management tcp_config [{ip,\"127.0.0.1\"},{port,$SWITCHBOARD_RABBITMQ_MANAGEMENT_PORT}]" \
            rabbitmq-server -detached >&2 9>&- || true
        wait_until 90 "RabbitMQ is up" rabbitmq_ready || die "RabbitMQ did not start (see /var/log/rabbitmq)"
    fi
    if is_loopback "$SWITCHBOARD_RABBITMQ_HOST" && command -v rabbitmq-plugins >/dev/null; then
        # --offline works whether or not the node is up; a running node picks the plugin up at once.
        rabbitmq-plugins enable rabbitmq_management >/dev/null 2>&1 ||
            rabbitmq-plugins --offline enable rabbitmq_management >/dev/null 2>&1 ||
            log "could not enable rabbitmq_management (continuing without the management UI)"
    fi
}

rabbitmq_down() {
    is_loopback "$SWITCHBOARD_RABBITMQ_HOST" || die "RabbitMQ at $SWITCHBOARD_RABBITMQ_HOST is not ours to stop"
    rabbitmq_ready || {
        log "RabbitMQ is not running"
        return 0
    }
    log "stopping RabbitMQ"
    rabbitmqctl shutdown >/dev/null 2>&1 || rabbitmqctl stop >/dev/null 2>&1 || true
    wait_until 60 "RabbitMQ stopped" bash -c "! (exec 3<>/dev/tcp/$SWITCHBOARD_RABBITMQ_HOST/$SWITCHBOARD_RABBITMQ_PORT) 2>/dev/null" ||
        die "RabbitMQ did not stop"
}

rabbitmq_status() {
    if rabbitmq_ready; then
        echo "rabbitmq  up    $SWITCHBOARD_RABBITMQ_HOST:$SWITCHBOARD_RABBITMQ_PORT  management: http://$SWITCHBOARD_RABBITMQ_HOST:$SWITCHBOARD_RABBITMQ_MANAGEMENT_PORT"
    else
        echo "rabbitmq  down  $SWITCHBOARD_RABBITMQ_HOST:$SWITCHBOARD_RABBITMQ_PORT"
        return 1
    fi
}
