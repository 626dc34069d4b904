# Shared settings and helpers for the infra scripts. Every port and address can be overridden by
# environment variable; the application reads the same variables (application.properties, %dev/%test).
# shellcheck shell=bash

INFRA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROJECT_DIR=$(cd "$INFRA_DIR/.." && pwd)

# Runtime state of the clone (logs, pid files, Kafka data): git-ignored.
SWITCHBOARD_DATA_DIR=${SWITCHBOARD_DATA_DIR:-$INFRA_DIR/data}
# Downloads and builds shared by every clone on the machine (Kafka jars, the registry build).
SWITCHBOARD_CACHE_DIR=${SWITCHBOARD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/switchboard}

SWITCHBOARD_PG_HOST=${SWITCHBOARD_PG_HOST:-127.0.0.1}
SWITCHBOARD_PG_PORT=${SWITCHBOARD_PG_PORT:-5432}
SWITCHBOARD_DB_USER=${SWITCHBOARD_DB_USER:-switchboard}
SWITCHBOARD_DB_PASSWORD=${SWITCHBOARD_DB_PASSWORD:-switchboard}

SWITCHBOARD_RABBITMQ_HOST=${SWITCHBOARD_RABBITMQ_HOST:-127.0.0.1}
SWITCHBOARD_RABBITMQ_PORT=${SWITCHBOARD_RABBITMQ_PORT:-5672}
SWITCHBOARD_RABBITMQ_MANAGEMENT_PORT=${SWITCHBOARD_RABBITMQ_MANAGEMENT_PORT:-15672}  # when started here

SWITCHBOARD_KAFKA_HOST=${SWITCHBOARD_KAFKA_HOST:-127.0.0.1}
SWITCHBOARD_KAFKA_PORT=${SWITCHBOARD_KAFKA_PORT:-9092}
SWITCHBOARD_KAFKA_CONTROLLER_PORT=${SWITCHBOARD_KAFKA_CONTROLLER_PORT:-9093}

SWITCHBOARD_REGISTRY_HOST=${SWITCHBOARD_REGISTRY_HOST:-127.0.0.1}
SWITCHBOARD_REGISTRY_PORT=${SWITCHBOARD_REGISTRY_PORT:-8090}

export SWITCHBOARD_PG_HOST SWITCHBOARD_PG_PORT SWITCHBOARD_DB_USER SWITCHBOARD_DB_PASSWORD \
    SWITCHBOARD_RABBITMQ_HOST SWITCHBOARD_RABBITMQ_PORT SWITCHBOARD_KAFKA_HOST SWITCHBOARD_KAFKA_PORT \
    SWITCHBOARD_REGISTRY_HOST SWITCHBOARD_REGISTRY_PORT

# The databases the project uses: the service in dev mode, the test suite, the registry's storage, bench/.
SWITCHBOARD_DATABASES=(switchboard_dev switchboard_test switchboard_registry switchboard_bench)

log() { printf '[infra] %s\n' "$*" >&2; }
die() {
    printf '[infra] error: %s\n' "$*" >&2
    exit 1
}

is_loopback() { [[ $1 == 127.* || $1 == localhost || $1 == ::1 ]]; }

# True when something accepts TCP connections on host:port.
port_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

# wait_until SECONDS MESSAGE COMMAND...: polls COMMAND every 0.5 s until it succeeds, then logs MESSAGE.
wait_until() {
    local timeout=$1 what=$2
    shift 2
    local deadline=$((SECONDS + timeout)) status
    while true; do
        status=0
        "$@" || status=$?
        ((status == 0)) && break
        # 2: the thing waited for can no longer come up (its process died)
        ((status != 2 && SECONDS < deadline)) || return 1
        sleep 0.5
    done
    log "$what"
}

# Pid-file helpers for the processes these scripts start themselves (Kafka, the registry). A pid counts
# only while its command line is still ours: pid files outlive reboots, and pids get reused.
pid_file() { echo "$SWITCHBOARD_DATA_DIR/$1.pid"; }
declare -A PROCESS_MARK=([kafka]=kafka.Kafka [registry]=quarkus-run.jar)
running_pid() {
    local file
    file=$(pid_file "$1")
    [[ -f $file ]] || return 1
    local pid
    pid=$(<"$file")
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "${PROCESS_MARK[$1]}"; then
        echo "$pid"
    else
        rm -f "$file"
        return 1
    fi
}
stop_pid() {
    local name=$1 pid
    pid=$(running_pid "$name") || {
        log "$name is not running (not started by these scripts)"
        return 0
    }
    log "stopping $name (pid $pid)"
    kill "$pid"
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.3; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    rm -f "$(pid_file "$name")"
}

# True unless the process we just started (pid file) has exited. Only the pid is checked: right after the
# fork, the child's command line is still the script's, not yet java's.
started_process_alive() {
    local file
    file=$(pid_file "$1")
    [[ ! -f $file ]] || kill -0 "$(<"$file")" 2>/dev/null
}

APT_UPDATED=false
apt_install() {
    command -v apt-get >/dev/null || die "apt-get not found: install $* by hand"
    ((EUID == 0)) || die "installing $* needs root (run infra/up as root once, or install it yourself)"
    if [[ $APT_UPDATED == false ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || die "apt-get update failed"
        APT_UPDATED=true
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2
}

java_home() { "$INFRA_DIR/lib/java-home"; }

mvnw() { "$PROJECT_DIR/mvnw" -B -q "$@"; }
