# The services in start order (the registry stores its data in PostgreSQL).
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
for lib in postgres rabbitmq kafka registry; do source "$INFRA_DIR/lib/$lib.sh"; done

ALL_SERVICES=(postgres rabbitmq kafka registry)

# services_from [NAME...]: the named services in start order, or all of them.
services_from() {
    (($# == 0)) && set -- "${ALL_SERVICES[@]}"
    local known name
    for name in "$@"; do
        [[ " ${ALL_SERVICES[*]} " == *" $name "* ]] || die "unknown service '$name' (known: ${ALL_SERVICES[*]})"
    done
    for known in "${ALL_SERVICES[@]}"; do
        for name in "$@"; do [[ $name == "$known" ]] && echo "$known"; done
    done
    return 0
}
