package dev.switchboard.platform.security;

import java.time.Duration;
import java.time.InstantSource;

import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The bearer tokens verified lately, each with what its verification gave. Only a token that verified gets in,
 * keyed by the whole token, so one that differs in a single character is verified on its own; a token that failed
 * is never remembered and fails again on its next use. A remembered token is served only while it has not expired,
 * checked on every hit and without the verifier's clock skew (so never past the moment the verifier would stop
 * accepting it), and for at most {@code maxAge} after its verification: a token signed with a key taken out of
 * use stops working within that time. At most {@code maxSize} tokens are held (Caffeine's size bound evicts the
 * least useful).
 */
final class VerifiedTokens {

    /** How a token is verified on a miss: SmallRye JWT's parser, in the service. */
    @FunctionalInterface
    interface Verifier {
        JsonWebToken verify(String token) throws ParseException;
    }

    private final Cache<String, JsonWebToken> verified;
    private final InstantSource clock;

    VerifiedTokens(long maxSize, Duration maxAge, Ticker ticker, InstantSource clock) {
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .ticker(ticker)
                .expireAfter(Expiry.creating((String token, JsonWebToken jwt) -> {
                    Duration left = untilExpiry(jwt);
                    return left.compareTo(maxAge) < 0 ? left : maxAge;
                }))
                .build();
    }

    /** The token as {@code verifier} sees it: remembered if it verified lately and is still unexpired. */
    JsonWebToken verified(String token, Verifier verifier) throws ParseException {
        JsonWebToken known = verified.getIfPresent(token);
        if (known != null && untilExpiry(known).isPositive()) {
            return known;
        }
        JsonWebToken fresh = verifier.verify(token);
        if (untilExpiry(fresh).isPositive()) {
            verified.put(token, fresh);
        }
        return fresh;
    }

    /** Tokens remembered now (for tests and diagnostics). */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    /** Time left before the token's {@code exp}; a token without one is already expired here. */
    private Duration untilExpiry(JsonWebToken jwt) {
        // Not getExpirationTime(): it unboxes the claim, and fails on a token without one.
        if (!(jwt.getClaim(Claims.exp.name()) instanceof Number expiresAt)) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(expiresAt.longValue() * 1000 - clock.millis());
    }
}
