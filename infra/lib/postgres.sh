# PostgreSQL 15: reuse the server that answers on SWITCHBOARD_PG_HOST:PORT; on this machine, install and
# start the Debian cluster if none does. Then make sure the app's role and databases exist.
# shellcheck shell=bash

pg_ready() { port_open "$SWITCHBOARD_PG_HOST" "$SWITCHBOARD_PG_PORT"; }

# psql as the superuser: over the local socket as the postgres OS user (peer auth, Debian's default),
# or over TCP as postgres where that is trusted.
pg_admin() {
    if id postgres >/dev/null 2>&1 && command -v runuser >/dev/null &&
        runuser -u postgres -- psql -p "$SWITCHBOARD_PG_PORT" -qtAc 'select 1' >/dev/null 2>&1; then
        runuser -u postgres -- psql -p "$SWITCHBOARD_PG_PORT" -v ON_ERROR_STOP=1 -qtA "$@"
    else
        psql -h "$SWITCHBOARD_PG_HOST" -p "$SWITCHBOARD_PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"
    fi
}

# Whether the scripts create the role and databases: a shared server elsewhere is not ours to create roles on,
# unless asked to (SWITCHBOARD_PG_PROVISION=true).
pg_provisioned() {
    local provision_default=true
    is_loopback "$SWITCHBOARD_PG_HOST" || provision_default=false
    [[ ${SWITCHBOARD_PG_PROVISION:-$provision_default} == true ]]
}

pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n1 || true; }

pg_start_local() {
    if ! command -v pg_ctlcluster >/dev/null; then
        log "installing PostgreSQL 15 (Debian package)"
        apt_install postgresql-15 || apt_install postgresql
    fi
    local version
    version=$(pg_version)
    [[ -n $version ]] || die "no PostgreSQL cluster under /etc/postgresql"
    log "starting PostgreSQL $version cluster 'main' on port $SWITCHBOARD_PG_PORT"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start -o "-p $SWITCHBOARD_PG_PORT" >&2 9>&- || true
}

postgres_up() {
    if ! pg_ready; then
        is_loopback "$SWITCHBOARD_PG_HOST" ||
            die "nothing answers at PostgreSQL $SWITCHBOARD_PG_HOST:$SWITCHBOARD_PG_PORT"
        pg_start_local
        wait_until 60 "PostgreSQL is up" pg_ready || die "PostgreSQL did not start"
    else
        log "PostgreSQL answers at $SWITCHBOARD_PG_HOST:$SWITCHBOARD_PG_PORT (reused)"
    fi
    if ! pg_provisioned; then
        log "SWITCHBOARD_PG_PROVISION=false: role and databases are expected to exist"
        return 0
    fi
    # psql variables (:'name') quote the values, whatever characters the password holds.
    pg_admin -v role="$SWITCHBOARD_DB_USER" -v password="$SWITCHBOARD_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'password') \gexec
SQL
    local db
    for db in "${SWITCHBOARD_DATABASES[@]}"; do
        pg_admin -v role="$SWITCHBOARD_DB_USER" -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
    done
    PGPASSWORD=$SWITCHBOARD_DB_PASSWORD psql -h "$SWITCHBOARD_PG_HOST" -p "$SWITCHBOARD_PG_PORT" \
        -U "$SWITCHBOARD_DB_USER" -d switchboard_dev -qtAc 'select 1' >/dev/null ||
        die "role $SWITCHBOARD_DB_USER cannot log in over TCP with its password"
    log "PostgreSQL role $SWITCHBOARD_DB_USER and databases ${SWITCHBOARD_DATABASES[*]} ready"
}

# postgres_recreate_db NAME: drops the database (closing its sessions) and creates it empty again, owned by the
# app's role. Only on a server the scripts provision.
postgres_recreate_db() {
    pg_admin -v role="$SWITCHBOARD_DB_USER" -v db="$1" <<'SQL'
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') \gexec
SQL
    log "PostgreSQL database $1 recreated empty"
}

postgres_down() {
    # The cluster is the machine's, shared with other projects: stop it only when asked by name.
    is_loopback "$SWITCHBOARD_PG_HOST" || die "PostgreSQL at $SWITCHBOARD_PG_HOST is not ours to stop"
    local version
    version=$(pg_version)
    [[ -n $version ]] || {
        log "no local PostgreSQL cluster"
        return 0
    }
    log "stopping PostgreSQL $version cluster 'main'"
    pg_ctlcluster --skip-systemctl-redirect "$version" main stop >&2 || true
}

postgres_status() {
    if pg_ready; then
        echo "postgres  up    $SWITCHBOARD_PG_HOST:$SWITCHBOARD_PG_PORT  databases: ${SWITCHBOARD_DATABASES[*]}"
    else
        echo "postgres  down  $SWITCHBOARD_PG_HOST:$SWITCHBOARD_PG_PORT"
        return 1
    fi
}
