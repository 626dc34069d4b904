# Apicurio Registry 3.0.9, the real server, built from Maven Central by infra/apicurio (cached outside the
# clone, keyed by a hash of its build files) and run from its fast-jar with PostgreSQL storage in the
# database switchboard_registry. Reuses whatever already answers on SWITCHBOARD_REGISTRY_HOST:PORT.
# Sets the global COMPATIBILITY rule to BACKWARD, as production does.
# shellcheck shell=bash

REGISTRY_BUILD_DIR=$INFRA_DIR/apicurio

registry_url() { echo "http://$SWITCHBOARD_REGISTRY_HOST:$SWITCHBOARD_REGISTRY_PORT"; }

registry_cache_dir() {
    local key
    key=$(cd "$REGISTRY_BUILD_DIR" && find pom.xml stand-ins.sh src -type f -print0 | sort -z |
        xargs -0 sha256sum | sha256sum | cut -c1-12)
    echo "$SWITCHBOARD_CACHE_DIR/apicurio-registry-3.0.9-$key"
}

registry_ensure_built() {
    local cache
    cache=$(registry_cache_dir)
    [[ -f $cache/quarkus-app/quarkus-run.jar ]] && return 0
    local repo=$SWITCHBOARD_CACHE_DIR/apicurio-m2 settings=$SWITCHBOARD_CACHE_DIR/apicurio-settings.xml
    mkdir -p "$repo"
    # Apicurio's POMs declare repositories that cannot be reached from here: route everything to the one
    # repository this machine reaches (its address comes from the machine, see lib/central-url).
    cat >"$settings" <<XML
<settings>
  <mirrors>
    <mirror>
      <id>only-central</id>
      <mirrorOf>*</mirrorOf>
      <url>$("$INFRA_DIR/lib/central-url")</url>
    </mirror>
  </mirrors>
</settings>
XML
    log "building Apicurio Registry 3.0.9 (first time on this machine: ~2 min; cached in $cache)"
    "$REGISTRY_BUILD_DIR/stand-ins.sh" "$settings" "$repo" || die "could not install the registry stand-ins"
    mvnw -s "$settings" -Dmaven.repo.local="$repo" -f "$REGISTRY_BUILD_DIR/pom.xml" \
        -DskipTests package >&2 || die "the registry build failed"
    rm -rf "$cache.tmp" && mkdir -p "$cache.tmp"
    cp -r "$REGISTRY_BUILD_DIR/target/quarkus-app" "$cache.tmp/"
    rm -rf "$cache" && mv "$cache.tmp" "$cache"
    rm -rf "$REGISTRY_BUILD_DIR/target"
}

# Ready means the v3 API answers (any other service on the port would not).
registry_ready() {
    curl -fsS -o /dev/null --max-time 2 "$(registry_url)/apis/registry/v3/system/info" 2>/dev/null
}

registry_up() {
    if running_pid registry >/dev/null; then
        log "registry already running (pid $(running_pid registry))"
    elif registry_ready; then
        log "a registry answers at $(registry_url) (reused, not started here)"
    else
        is_loopback "$SWITCHBOARD_REGISTRY_HOST" || die "no registry answers at $(registry_url)"
        port_open "$SWITCHBOARD_REGISTRY_HOST" "$SWITCHBOARD_REGISTRY_PORT" &&
            die "port $SWITCHBOARD_REGISTRY_PORT is taken by something that is not a registry"
        registry_ensure_built
        local dir=$SWITCHBOARD_DATA_DIR/registry
        mkdir -p "$dir"
        log "starting Apicurio Registry on $(registry_url) (log: $dir/registry.log)"
        # cd first, on its own: with `cd && java &` the pid recorded would be the subshell's, not java's.
        (cd "$dir" || exit 1
            nohup "$(java_home)/bin/java" -Xms64m -Xmx512m \
            -Dquarkus.http.host="$SWITCHBOARD_REGISTRY_HOST" -Dquarkus.http.port="$SWITCHBOARD_REGISTRY_PORT" \
            -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=postgresql \
            -Dapicurio.datasource.url="jdbc:postgresql://$SWITCHBOARD_PG_HOST:$SWITCHBOARD_PG_PORT/switchboard_registry" \
            -Dapicurio.datasource.username="$SWITCHBOARD_DB_USER" \
            -Dapicurio.datasource.password="$SWITCHBOARD_DB_PASSWORD" \
            -jar "$(registry_cache_dir)/quarkus-app/quarkus-run.jar" >>"$dir/registry.log" 2>&1 </dev/null 9>&- &
            echo $! >"$(pid_file registry)")
    fi
    wait_until 120 "Apicurio Registry is up" registry_alive_and_ready ||
        die "the registry did not become ready (see $SWITCHBOARD_DATA_DIR/registry/registry.log)"
    registry_require_backward
}

# BACKWARD compatibility is a registry rule, set globally, not something the application checks.
registry_require_backward() {
    local rules=$(registry_url)/apis/registry/v3/admin/rules
    if curl -fsS -o /dev/null "$rules/COMPATIBILITY" 2>/dev/null; then
        curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/json' \
            -d '{"ruleType":"COMPATIBILITY","config":"BACKWARD"}' "$rules/COMPATIBILITY"
    else
        curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
            -d '{"ruleType":"COMPATIBILITY","config":"BACKWARD"}' "$rules"
    fi || die "could not set the registry's global COMPATIBILITY rule"
    log "registry global rule COMPATIBILITY=BACKWARD"
}

# Stops waiting at once when the process we started has died.
registry_alive_and_ready() {
    started_process_alive registry || return 2
    registry_ready
}

registry_down() { stop_pid registry; }

registry_status() {
    local pid
    pid=$(running_pid registry) || pid="not ours"
    if registry_ready; then
        echo "registry  up    $(registry_url)/apis/registry/v3  pid: $pid  log: $SWITCHBOARD_DATA_DIR/registry/registry.log"
    else
        echo "registry  down  $(registry_url)"
        return 1
    fi
}
