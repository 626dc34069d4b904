package dev.switchboard.platform.security;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The cache of verified bearer tokens ({@link CachingJwtParser}). */
@ConfigMapping(prefix = "switchboard.security.token-cache")
public interface TokenCacheConfig {

    /** Tokens remembered at most (a few KB each); 0 (or less) verifies every token on every request. */
    @WithDefault("1000")
    long maxSize();

    /**
     * How long a verified token is trusted before it is verified again, even if it has not expired: how much longer
     * than the verifier itself a token signed with a key it no longer trusts goes on working (with a JWKS address,
     * the verifier keeps the key set it fetched for {@code smallrye.jwt.jwks.refresh-interval}, 60 min).
     */
    @WithDefault("5m")
    Duration maxAge();
}
