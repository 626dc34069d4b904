package dev.switchboard.platform.security;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * SmallRye JWT's parser, remembering the tokens it verified ({@link VerifiedTokens}). Quarkus verifies the bearer
 * token of every request and every socket upgrade with {@link JWTParser#parse(String)}, again and again for a client
 * that sends the same token each time: under ingest load the RS256 check and the claims' parsing took 13 % of the
 * service's CPU (bench/ingest.sh with JFR), and every open stream held its own copy of the same claims. Only that
 * method is cached; the others (another key, another context) go to the parser unchanged.
 * <p>
 * Hand-written: neither SmallRye JWT nor Quarkus caches verified tokens (quarkus-oidc's token cache holds
 * introspection and UserInfo answers, not local verifications).
 */
@Decorator
@Priority(10)
abstract class CachingJwtParser implements JWTParser {

    private final JWTParser parser;
    /** Null when turned off ({@code max-size} 0). */
    private final VerifiedTokens verified;

    @Inject
    CachingJwtParser(@Delegate @Any JWTParser parser, TokenCacheConfig config, JWTAuthContextInfo verification) {
        this.parser = parser;
        // The verifier's own limit on a token's age (mp.jwt.verify.token.age), which time can break like exp.
        Optional<Duration> maxTokenAge = Optional.ofNullable(verification.getTokenAge()).map(Duration::ofSeconds);
        this.verified = config.maxSize() > 0
                ? new VerifiedTokens(config.maxSize(), config.maxAge(), maxTokenAge, Ticker.systemTicker(),
                        InstantSource.system())
                : null;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        return verified != null ? verified.verified(token, parser::parse) : parser.parse(token);
    }
}
