# The signing key pair of the local token issuer (dev and tests): made once per clone, git-ignored, never
# committed. The service verifies tokens with the public half (mp.jwt.verify.publickey.location); infra/token and
# the tests sign with the private half. In production the key, or a JWKS address, comes from the environment.
# shellcheck shell=bash

SWITCHBOARD_KEYS_DIR=${SWITCHBOARD_KEYS_DIR:-$SWITCHBOARD_DATA_DIR/keys}
SWITCHBOARD_JWT_PUBLIC_KEY_LOCATION=${SWITCHBOARD_JWT_PUBLIC_KEY_LOCATION:-$SWITCHBOARD_KEYS_DIR/public.pem}
SWITCHBOARD_JWT_PRIVATE_KEY_LOCATION=${SWITCHBOARD_JWT_PRIVATE_KEY_LOCATION:-$SWITCHBOARD_KEYS_DIR/private.pem}
export SWITCHBOARD_JWT_PUBLIC_KEY_LOCATION SWITCHBOARD_JWT_PRIVATE_KEY_LOCATION

keys_ensure() {
    if [[ -s $SWITCHBOARD_JWT_PRIVATE_KEY_LOCATION && -s $SWITCHBOARD_JWT_PUBLIC_KEY_LOCATION ]]; then
        return 0
    fi
    command -v openssl >/dev/null || { log "installing openssl"; apt_install openssl; }
    mkdir -p "$(dirname "$SWITCHBOARD_JWT_PRIVATE_KEY_LOCATION")" "$(dirname "$SWITCHBOARD_JWT_PUBLIC_KEY_LOCATION")"
    local tmp
    tmp=$(mktemp "$(dirname "$SWITCHBOARD_JWT_PRIVATE_KEY_LOCATION")/.private.XXXXXX")
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp" 2>/dev/null)
    openssl pkey -in "$tmp" -pubout -out "$SWITCHBOARD_JWT_PUBLIC_KEY_LOCATION"
    mv "$tmp" "$SWITCHBOARD_JWT_PRIVATE_KEY_LOCATION"
    log "made the local token signing key pair in $(dirname "$SWITCHBOARD_JWT_PRIVATE_KEY_LOCATION")"
}
