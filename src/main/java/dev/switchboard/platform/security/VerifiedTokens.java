package dev.switchboard.platform.security;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

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
 * is never remembered and fails again on its next use. A remembered token is served only until it expires, checked
 * on every hit against the wall clock and without the verifier's clock skew: its {@code exp}, or sooner its
 * {@code iat} plus the verifier's maximum token age when one is set ({@code mp.jwt.verify.token.age}), the two
 * checks of the verifier that depend on the time. So it is never served past the moment the verifier would stop
 * accepting it, and a token the verifier accepted only thanks to its skew is not remembered at all. Every other
 * check (signature, issuer, audience, {@code nbf}) gives the same answer later as it did once. A token is
 * remembered for at most {@code maxAge}, so a key the verifier stops trusting stops working for remembered tokens
 * within that time after it does; at most {@code maxSize} tokens are held (Caffeine's size bound evicts the least
 * useful).
 */
final class VerifiedTokens {

    /** How a token is verified on a miss: SmallRye JWT's parser, in the service. */
    @FunctionalInterface
    interface Verifier {
        JsonWebToken verify(String token) throws ParseException;
    }

    private final Cache<String, JsonWebToken> verified;
    private final Optional<Duration> maxTokenAge;
    private final InstantSource clock;

    /**
     * @param maxTokenAge
     *            the verifier's limit on a token's age since its {@code iat}, if it has one
     * @param ticker
     *            Caffeine's clock, for the maximum age; {@code clock} is the wall clock tokens are checked on
     */
    VerifiedTokens(long maxSize, Duration maxAge, Optional<Duration> maxTokenAge, Ticker ticker,
            InstantSource clock) {
        this.maxTokenAge = maxTokenAge;
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

    /** Time left before the token expires (exp, or iat plus the maximum age), without the verifier's skew. */
    private Duration untilExpiry(JsonWebToken jwt) {
        // The verifier requires exp; without one (another JsonWebToken than SmallRye's) there is nothing to trust.
        if (!(jwt.getClaim(Claims.exp.name()) instanceof Number expiresAt)) {
            return Duration.ZERO;
        }
        long until = expiresAt.longValue() * 1000;
        if (maxTokenAge.isPresent()) {
            if (!(jwt.getClaim(Claims.iat.name()) instanceof Number issuedAt)) {
                return Duration.ZERO;
            }
            until = Math.min(until, issuedAt.longValue() * 1000 + maxTokenAge.get().toMillis());
        }
        return Duration.ofMillis(until - clock.millis());
    }
}
